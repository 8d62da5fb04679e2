import Foundation
import SecretctlCore
import Testing

/// `secretctl apply`: the exact kubectl calls, the manifest only on stdin.
struct KubeApplyCommandTests {
    @Test func appliesServerSideWithTheManifestOnStdin() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.secretNotFound()
        try kubectl.respond(to: "apply", stdout: "secret/todo-secrets serverside-applied\n")
        let result = await sandbox.run(["apply"], environment: kubectl.environment)
        result.expectSuccess()
        #expect(result.stdoutText == "secret/todo-secrets serverside-applied\n")

        let calls = try kubectl.calls()
        #expect(calls.map(\.arguments) == [
            ["get", "secret", "todo-secrets", "-n", "todo-app", "-o", "json"],
            ["apply", "--server-side", "--field-manager=secretctl", "-f", "-"],
        ])
        #expect(calls[0].stdin.isEmpty)
        #expect(calls[1].stdin == (try await sandbox.rendered()), "kubectl gets exactly what render prints")
        try kubectl.expectNoValueInArguments(sandbox)
    }

    @Test func contextNamespaceDryRunAndForceGoOnKubectlsArgv() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.secretNotFound()
        let result = await sandbox.run(
            ["apply", "--context", "minikube", "--namespace", "staging", "--dry-run", "--force-conflicts"], environment: kubectl.environment)
        result.expectSuccess()
        let calls = try kubectl.calls()
        #expect(calls.map(\.arguments) == [
            ["--context", "minikube", "get", "secret", "todo-secrets", "-n", "staging", "-o", "json"],
            ["--context", "minikube", "apply", "--server-side", "--field-manager=secretctl", "--force-conflicts", "--dry-run=server",
             "-n", "staging", "-f", "-"],
        ])
        #expect(String(decoding: calls[1].stdin, as: UTF8.self).contains("  namespace: staging\n"))
    }

    /// A Secret once applied client-side carries every value in an annotation:
    /// apply removes it after its own server-side apply, and says so.
    @Test func removesTheLastAppliedAnnotation() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.liveSecret(data: ["DATABASE_URL": Array("postgres://old-value".utf8)], lastApplied: true)
        sandbox.remember(Array("postgres://old-value".utf8))
        let result = await sandbox.run(["apply"], environment: kubectl.environment)
        result.expectSuccess()
        #expect(try kubectl.calls().map(\.arguments) == [
            ["get", "secret", "todo-secrets", "-n", "todo-app", "-o", "json"],
            ["apply", "--server-side", "--field-manager=secretctl", "-f", "-"],
            ["annotate", "secret", "todo-secrets", "-n", "todo-app", "kubectl.kubernetes.io/last-applied-configuration-"],
        ])
        #expect(result.stderrLines.contains { $0.hasPrefix("secretctl: removed the annotation kubectl.kubernetes.io/last-applied-configuration") })
        try kubectl.expectNoValueInArguments(sandbox)
    }

    @Test func aDryRunOnlySaysItWouldRemoveTheAnnotation() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.liveSecret(data: [:], lastApplied: true)
        let result = await sandbox.run(["apply", "--dry-run"], environment: kubectl.environment)
        result.expectSuccess()
        #expect(try kubectl.calls().map { $0.arguments.first } == ["get", "apply"])
        #expect(result.stderr.contains("dry run: would remove the annotation"))
    }

    @Test func aFailingKubectlIsASystemErrorWithItsMessage() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.secretNotFound()
        try kubectl.respond(to: "apply", stderr: "error: Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\"\n", status: 1)
        let result = await sandbox.run(["apply"], environment: kubectl.environment)
        result.expectFailure(.system, "kubectl apply failed (exit 1)", hint: "--force-conflicts")
        #expect(result.stderr.contains("conflict with \"kubectl-client-side-apply\""))
    }

    @Test func aFailedReadStopsBeforeApplying() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.respond(to: "get", stderr: "The connection to the server localhost:8080 was refused\n", status: 1)
        await sandbox.run(["apply"], environment: kubectl.environment).expectFailure(.system, "kubectl get secret todo-secrets failed")
        #expect(try kubectl.calls().count == 1)
    }

    @Test func kubectlMissingFromPathIsASystemError() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        await sandbox.run(["apply"], environment: ["PATH": sandbox.root + "/empty-bin", "KUBECTL": ""])
            .expectFailure(.system, "kubectl was not found on PATH", hint: "KUBECTL")
        await sandbox.run(["apply"], environment: ["KUBECTL": sandbox.root + "/no-such-kubectl"])
            .expectFailure(.system, "not an executable file")
    }

    @Test func renderRefusalsStopApplyBeforeKubectlRuns() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try sandbox.copyAppManifests()
        try await sandbox.initVault()
        await sandbox.run(["apply"], environment: kubectl.environment).expectFailure(.failure, "DATABASE_URL")
        #expect(try kubectl.calls().isEmpty)
    }
}

/// A kubectl (or plugin, or admission webhook) that echoes the manifest in its
/// error must not put the values in secretctl's error.
struct KubeApplyRedactionTests {
    @Test func valuesEchoedByAFailingKubectlAreRedacted() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.secretNotFound()
        let echo = sandbox.root + "/kubectl-echo"
        try sandbox.write(Array("""
            #!/bin/sh
            case " $* " in *" get "*) echo 'Error from server (NotFound): secrets "todo-secrets" not found' >&2; exit 1 ;; esac
            echo "error: the server rejected this object:" >&2; cat >&2
            echo "raw value: postgresql://todo:hunter2-db@ep-1.neon.tech/todo?sslmode=require" >&2; exit 1

            """.utf8), to: echo, mode: 0o755)
        let result = await sandbox.run(["apply"], environment: kubectl.environment.merging(["KUBECTL": echo]) { $1 })
        result.expectFailure(.system, "kubectl apply failed (exit 1): error: the server rejected this object:")
        #expect(result.stderr.contains("DATABASE_URL: \"<redacted>\""), "the structure stays readable:\n\(result.stderr)")
        #expect(result.stderr.contains("raw value: <redacted>"))
        for value in sandbox.rememberedValues {
            #expect(!result.stderr.contains(Data(value).base64EncodedString()), "a value's base64 reached stderr")
        }
    }
}
