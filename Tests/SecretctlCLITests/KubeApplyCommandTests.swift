import Foundation
import SecretctlCore
import Testing

/// `secretctl apply`: the exact kubectl calls, the manifest only on stdin.
struct KubeApplyCommandTests {
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
