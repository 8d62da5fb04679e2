import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// `secrets/environments.yaml` and `DeploymentTarget`: environments bound to clusters.
@Suite("Team: environments bound to clusters")
struct TeamEnvironmentsTests {
    static let sample = """
        # value-free: safe to commit
        environments:
          dev:
            context: minikube
            namespace: todo-dev
          prod:
            context: prod-eks
            namespace: todo
            template: k8s/secret.yaml
            protected: true

        """

    /// A kubectl stand-in that answers `config get-contexts -o name` and records calls.
    final class FakeKubectl: KubectlRunner, @unchecked Sendable {
        let contexts: [String]
        let status: Int32
        private(set) var calls: [[String]] = []

        init(contexts: [String], status: Int32 = 0) {
            self.contexts = contexts
            self.status = status
        }

        func run(_ arguments: [String], input: SecureBytes?) async throws(SecretctlError) -> KubectlResult {
            calls.append(arguments)
            let text = contexts.map { $0 + "\n" }.joined()
            return KubectlResult(status: status, stdout: SecureBytes(copying: Array(text.utf8)), stderr: status == 0 ? "" : "error: no kubeconfig\n")
        }
    }

    static func project(_ yaml: String?) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("secretctl-envs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/secrets", withIntermediateDirectories: true)
        if let yaml { try Data(yaml.utf8).write(to: URL(fileURLWithPath: root + "/secrets/environments.yaml")) }
        return root
    }

    // MARK: - The file

    @Test func sampleParses() throws {
        let file = try EnvironmentsFile.parse(Self.sample, source: "environments.yaml")
        #expect(file.environments == [
            EnvironmentDefinition(name: "dev", context: "minikube", namespace: "todo-dev"),
            EnvironmentDefinition(name: "prod", context: "prod-eks", namespace: "todo", template: "k8s/secret.yaml", isProtected: true),
        ])
    }

    @Test("mistakes are errors, never silent defaults", arguments: [
        ("environments:\n  prod:\n    context: prod-eks\n    protect: true\n", "unknown setting 'protect'"),
        ("environments:\n  prod:\n    namespace: todo\n", "'context' is required"),
        ("environments:\n  prod:\n    context: prod-eks\n    protected: yes\n", "'protected' must be true or false"),
        ("environments:\n  Prod:\n    context: prod-eks\n", "not a valid environment name"),
        ("environment:\n  prod:\n    context: prod-eks\n", "unknown key 'environment'"),
        ("environments:\n  prod: prod-eks\n", "expected its settings"),
        ("environments: {}\n", "no environment is declared"),
        ("environments:\n  prod:\n    context: a\n  prod:\n    context: b\n", "duplicate"),
        ("environments:\n  prod:\n    context: \"\"\n", "non-empty text"),
    ])
    func mistakesAreRefused(yaml: String, fragment: String) {
        #expect {
            try EnvironmentsFile.parse(yaml, source: "environments.yaml")
        } throws: { error in
            (error as? SecretctlError)?.message.contains(fragment) == true
        }
    }

    // MARK: - Resolving

    @Test("without the file nothing changes: the --context option (or none) is used")
    func noFile() throws {
        let root = try Self.project(nil)
        #expect(try DeploymentTarget.resolve(environment: "prod", projectRoot: root, contextOption: nil).context == nil)
        #expect(try DeploymentTarget.resolve(environment: "prod", projectRoot: root, contextOption: "kind").context == "kind")
    }

    @Test("a declared environment gets its context, namespace, template and protection")
    func declared() throws {
        let target = try DeploymentTarget.resolve(environment: "prod", projectRoot: try Self.project(Self.sample), contextOption: nil)
        #expect(target.context == "prod-eks" && target.namespace == "todo" && target.template == "k8s/secret.yaml" && target.isProtected)
        let same = try DeploymentTarget.resolve(environment: "prod", projectRoot: try Self.project(Self.sample), contextOption: "prod-eks")
        #expect(same == target, "a --context that agrees is fine")
    }

    @Test("an undeclared environment, or a --context that contradicts the file, is refused")
    func refusals() throws {
        let root = try Self.project(Self.sample)
        let undeclared = try #require(throws: SecretctlError.self) { try DeploymentTarget.resolve(environment: "staging", projectRoot: root, contextOption: nil) }
        #expect(undeclared.code == .usage && undeclared.message.contains("not declared") && undeclared.hint?.contains("dev, prod") == true)
        let contradiction = try #require(throws: SecretctlError.self) { try DeploymentTarget.resolve(environment: "prod", projectRoot: root, contextOption: "minikube") }
        #expect(contradiction.code == .usage && contradiction.message.contains("bound to context 'prod-eks'"))
    }

    // MARK: - Checks

    @Test("a context kubeconfig has passes; a missing one is refused, naming the ones it has")
    func contextCheck() async throws {
        let target = DeploymentTarget(environment: "prod", definition: nil, context: "prod-eks")
        let present = FakeKubectl(contexts: ["minikube", "prod-eks"])
        try await target.checkContextExists(runner: present)
        #expect(present.calls == [["config", "get-contexts", "-o", "name"]])

        let absent = FakeKubectl(contexts: ["minikube"])
        let error = try await #require(throws: SecretctlError.self) { try await target.checkContextExists(runner: absent) }
        #expect(error.code == .failure && error.message.contains("no context 'prod-eks'") && error.hint == "contexts: minikube")

        let broken = FakeKubectl(contexts: [], status: 1)
        let brokenError = try await #require(throws: SecretctlError.self) { try await target.checkContextExists(runner: broken) }
        #expect(brokenError.code == .system)
    }

    @Test("a protected environment needs its name typed exactly, or --yes")
    func confirmation() throws {
        let prod = DeploymentTarget(environment: "prod", definition: EnvironmentDefinition(name: "prod", context: "prod-eks", isProtected: true), context: "prod-eks")
        var prompts: [String] = []
        try prod.confirm(yes: false) { (prompt) throws(SecretctlError) in
            prompts.append(prompt)
            return SecureBytes(copying: Array("prod".utf8))
        }
        #expect(prompts.count == 1 && prompts[0].contains("'prod' is protected (context prod-eks)"))
        let wrong = try #require(throws: SecretctlError.self) {
            try prod.confirm(yes: false) { (_) throws(SecretctlError) in SecureBytes(copying: Array("prod ".utf8)) }
        }
        #expect(wrong.code == .failure && wrong.message.contains("does not match"))
        let noTerminal = try #require(throws: SecretctlError.self) { try prod.confirm(yes: false) { (_) throws(SecretctlError) in nil } }
        #expect(noTerminal.code == .usage && noTerminal.hint?.contains("--yes") == true)
        try prod.confirm(yes: true) { (_) throws(SecretctlError) in
            Issue.record("--yes must not prompt")
            return nil
        }
        let dev = DeploymentTarget(environment: "dev", definition: EnvironmentDefinition(name: "dev", context: "minikube"), context: "minikube")
        try dev.confirm(yes: false) { (_) throws(SecretctlError) in
            Issue.record("an unprotected environment must not prompt")
            return nil
        }
    }
}
