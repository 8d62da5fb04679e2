import Foundation
import SecretctlCore
import Testing

/// `secretctl diff` in every state a live Secret can be in, against a real API server.
@Suite(.enabled(if: TestCluster.isAvailable, TestCluster.skipReason), .timeLimit(.minutes(5)))
struct ClusterDiffTests {
    @Test func everyStateAndItsExitCode() async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        var outputs: [String] = []
        func diff(_ extra: [String] = []) async -> CLIResult {
            let result = await sandbox.run(["diff"] + extra)
            outputs += [result.stdoutText, result.stderr]
            return result
        }

        let absent = await diff()
        #expect(absent.code == 1, "absent Secret: \(absent.stderr)")
        #expect(absent.stdoutText.contains("not in the cluster"))
        #expect(absent.stdoutText.contains("+ DATABASE_URL"))

        let missingNamespace = await diff(["--namespace", namespace.name + "-gone"])
        #expect(missingNamespace.code == 1, "absent namespace: \(missingNamespace.stderr)")
        #expect(missingNamespace.stdoutText.contains("not in the cluster"))

        await sandbox.run(["apply"]).expectSuccess()
        let equal = await diff()
        #expect(equal.code == 0, "equal: \(equal.stdoutText) \(equal.stderr)")
        #expect(equal.stdoutText.contains("up to date"))

        try await sandbox.set("OPENAI_API_KEY", "sk-proj-cluster-test-diff-7777777777")
        let changed = await diff()
        #expect(changed.code == 1)
        #expect(changed.stdoutText.contains("~ OPENAI_API_KEY"))
        await sandbox.run(["apply"]).expectSuccess()

        let removed = try kubectl(["patch", "secret", "todo-secrets", "-n", namespace.name, "--type=json",
            "-p", #"[{"op":"remove","path":"/data/DATABASE_URL"}]"#])
        try #require(removed.status == 0, "\(removed.stderr)")
        let onlyVault = await diff()
        #expect(onlyVault.code == 1)
        #expect(onlyVault.stdoutText.contains("+ DATABASE_URL"))
        await sandbox.run(["apply"]).expectSuccess()

        let added = try kubectl(["patch", "secret", "todo-secrets", "-n", namespace.name, "--type=merge",
            "-p", #"{"data":{"EXTRA_KEY":"ZXh0cmE="}}"#])
        try #require(added.status == 0, "\(added.stderr)")
        let onlyCluster = await diff()
        #expect(onlyCluster.code == 1)
        #expect(onlyCluster.stdoutText.contains("- EXTRA_KEY"))
        try #require(try kubectl(["patch", "secret", "todo-secrets", "-n", namespace.name, "--type=json",
            "-p", #"[{"op":"remove","path":"/data/EXTRA_KEY"}]"#]).status == 0)

        let annotated = try kubectl(["annotate", "secret", "todo-secrets", "-n", namespace.name,
            "\(LiveSecret.lastAppliedAnnotation)={\"kind\":\"Secret\",\"data\":{}}"])
        try #require(annotated.status == 0, "\(annotated.stderr)")
        let annotation = await diff()
        #expect(annotation.code == 1)
        #expect(annotation.stdoutText.contains("! annotation \(LiveSecret.lastAppliedAnnotation)"))
        try sandbox.expectNoValueAnywhere(outputs)
    }

    /// A server that does not answer is trouble, said in one line with what to check: not
    /// client-go's repeated log lines.
    @Test func anUnreachableServerIsOneClearError() async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        // The dead kubeconfig's own current context is what kubectl must try.
        try? FileManager.default.removeItem(atPath: sandbox.secrets + "/environments.yaml")
        let dead = sandbox.root + "/dead-kubeconfig"
        try sandbox.writeText("""
            apiVersion: v1
            kind: Config
            clusters: [{ name: dead, cluster: { server: "https://127.0.0.1:9", insecure-skip-tls-verify: true } }]
            users: [{ name: nobody, user: { token: nothing } }]
            contexts: [{ name: dead, context: { cluster: dead, user: nobody } }]
            current-context: dead

            """, to: dead)
        for command in [["diff"], ["apply"]] {
            let result = await sandbox.run(command, environment: ["KUBECONFIG": dead])
            result.expectFailure(.system, "cannot reach the cluster", hint: "current-context")
            #expect(!result.stderr.contains("memcache.go"), "client-go's log lines reached the user:\n\(result.stderr)")
        }
        let none = await sandbox.run(["diff"], environment: ["KUBECONFIG": sandbox.root + "/no-such-kubeconfig"])
        none.expectFailure(.system, "no cluster to talk to", hint: "use-context")
        #expect(!none.stderr.contains("memcache.go"))
    }
}
