import Foundation
import SecretctlCore
import Testing

/// secrets/environments.yaml against a real kubeconfig: two context names for one server,
/// bound to two namespaces, while the current context points at a server that does not answer.
@Suite(.enabled(if: TestCluster.isAvailable, TestCluster.skipReason), .timeLimit(.minutes(5)))
struct ClusterEnvironmentsTests {
    /// A copy of the test kubeconfig with contexts `sct-dev` and `sct-prod` (both the test
    /// cluster) and a current context `nowhere` whose server refuses connections.
    private func kubeconfig(in sandbox: TestSandbox) throws -> String {
        let path = sandbox.root + "/kubeconfig"
        let view = try kubectl(["config", "view", "--raw", "--minify", "--flatten"])
        try #require(view.status == 0, "\(view.stderr)")
        try sandbox.write(Array(view.stdout.utf8), to: path)
        let current = try kubectl(["config", "view", "--minify", "-o", "jsonpath={.contexts[0].context.cluster} {.contexts[0].context.user}"])
        let parts = current.stdout.split(separator: " ").map(String.init)
        try #require(parts.count == 2, "cannot read the current context: \(current.stdout) \(current.stderr)")
        for name in ["sct-dev", "sct-prod"] {
            try #require(try kubectl(["config", "set-context", name, "--cluster", parts[0], "--user", parts[1]], kubeconfig: path).status == 0)
        }
        try #require(try kubectl(["config", "set-cluster", "nowhere", "--server", "https://127.0.0.1:9"], kubeconfig: path).status == 0)
        try #require(try kubectl(["config", "set-context", "nowhere", "--cluster", "nowhere", "--user", parts[1]], kubeconfig: path).status == 0)
        try #require(try kubectl(["config", "use-context", "nowhere"], kubeconfig: path).status == 0)
        return path
    }

    @Test func eachEnvironmentGoesToItsContextAndNamespaceOnly() async throws {
        let dev = try ClusterNamespace()
        let prod = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(dev)
        sandbox[variable: "KUBECONFIG"] = try kubeconfig(in: sandbox)
        try sandbox.writeText("""
            environments:
              dev:  { context: sct-dev, namespace: \(dev.name) }
              prod: { context: sct-prod, namespace: \(prod.name), protected: true }
              lost: { context: no-such-context, namespace: \(dev.name) }

            """, to: sandbox.secrets + "/environments.yaml")
        try await sandbox.initVault(["--env", "prod"])
        try await sandbox.set("DATABASE_URL", "postgresql://todo:prod-password@ep-9.neon.tech/todo", ["--env", "prod"])
        try await sandbox.set("OPENAI_API_KEY", "sk-proj-cluster-test-prod-1212121212", ["--env", "prod"])
        try await sandbox.set("BETTER_AUTH_SECRET", "prod-better-auth-secret-0123456789abcdef", ["--env", "prod"])

        let applied = await sandbox.run(["apply", "--env", "dev"])
        applied.expectSuccess()
        #expect(try dev.secretData() != nil, "dev's Secret is not in dev's namespace")
        #expect(try prod.secretData() == nil)
        let clean = await sandbox.run(["diff", "--env", "dev"])
        #expect(clean.code == 0, "diff --env dev: \(clean.stdoutText) \(clean.stderr)")

        let unconfirmed = await sandbox.run(["apply", "--env", "prod"])
        #expect(unconfirmed.code != 0, "a protected environment was changed without a confirmation")
        #expect(unconfirmed.errorMessage?.contains("prod") == true, "\(unconfirmed.stderr)")
        #expect(try prod.secretData() == nil, "prod changed without --yes")
        let confirmed = await sandbox.run(["apply", "--env", "prod", "--yes"])
        confirmed.expectSuccess()
        #expect(try prod.secretData() != nil, "prod's Secret is not in prod's namespace")
        let typed = await sandbox.run(["apply", "--env", "prod"], stdinIsTerminal: true, answers: ["prod"])
        typed.expectSuccess()

        let undeclared = await sandbox.run(["apply", "--env", "qa"])
        undeclared.expectFailure(.usage, "qa")
        let contradicting = await sandbox.run(["apply", "--env", "dev", "--context", "sct-prod"])
        contradicting.expectFailure(.usage, "sct-dev")
        let unknown = await sandbox.run(["apply", "--env", "lost"])
        #expect(unknown.code != 0)
        #expect(unknown.errorMessage?.contains("no-such-context") == true, "\(unknown.stderr)")
        try sandbox.expectNoValueAnywhere([applied.stderr, confirmed.stderr, unconfirmed.stderr, undeclared.stderr])
    }
}
