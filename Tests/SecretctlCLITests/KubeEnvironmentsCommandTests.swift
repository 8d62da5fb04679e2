import Foundation
import SecretctlCore
import Testing

/// apply, diff and rotate follow secrets/environments.yaml: the environment's
/// context and namespace reach kubectl, and a protected one asks first.
struct KubeEnvironmentsCommandTests {
    static func project(protected: Bool) async throws -> (TestSandbox, KubeRecorder) {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        let file = "environments:\n  dev:\n    context: minikube\n    namespace: todo-dev\n" + (protected ? "    protected: true\n" : "")
        try sandbox.write(Array(file.utf8), to: sandbox.secrets + "/environments.yaml", mode: 0o644)
        try kubectl.respond(to: "config", stdout: "kind-other\nminikube\n")
        try kubectl.secretNotFound()
        return (sandbox, kubectl)
    }

    @Test func rotateDryRunShowsTheEnvironmentsTargetWithoutRunningKubectl() async throws {
        let (sandbox, kubectl) = try await Self.project(protected: true)
        let plan = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--restart", "--dry-run"], environment: kubectl.environment)
        plan.expectSuccess()
        #expect(plan.stdoutText.contains("would run kubectl --context minikube apply --server-side --field-manager=secretctl -n todo-dev -f -"))
        #expect(plan.stdoutText.contains("would apply todo-dev/todo-secrets"))
        #expect(try kubectl.calls().isEmpty)
    }

    @Test func rotateAsksBeforeChangingTheVaultOfAProtectedEnvironment() async throws {
        let (sandbox, kubectl) = try await Self.project(protected: true)
        let before = try sandbox.read(sandbox.vaultPath())
        await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--apply"], environment: kubectl.environment).expectFailure(.usage, "protected")
        #expect(try sandbox.read(sandbox.vaultPath()) == before, "refused before the vault changed")
        let confirmed = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--apply"], answers: ["dev"], environment: kubectl.environment)
        confirmed.expectSuccess()
        #expect(try kubectl.calls().contains { $0.arguments.starts(with: ["--context", "minikube", "apply"]) })
    }
}
