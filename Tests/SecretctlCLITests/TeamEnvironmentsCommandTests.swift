import Foundation
import SecretctlCore
import Testing

/// `secretctl environments`: what secrets/environments.yaml binds.
@Suite("Team: environments command")
struct TeamEnvironmentsCommandTests {
    @Test("lists each environment with its context, namespace, template and protection")
    func lists() async throws {
        let sandbox = try TestSandbox()
        try sandbox.write(Array("""
            environments:
              prod:
                context: prod-eks
                namespace: todo
                template: k8s/secret.yaml
                protected: true
              dev:
                context: minikube

            """.utf8), to: sandbox.secrets + "/environments.yaml", mode: 0o644)
        let result = await sandbox.run(["environments"])
        result.expectSuccess()
        #expect(result.stdoutText == "dev   context minikube\nprod  context prod-eks  namespace todo  template k8s/secret.yaml  protected\n")
    }

    @Test("a misspelt setting is an error with the file's name")
    func misspelt() async throws {
        let sandbox = try TestSandbox()
        try sandbox.write(Array("environments:\n  prod:\n    context: prod-eks\n    protect: true\n".utf8), to: sandbox.secrets + "/environments.yaml", mode: 0o644)
        await sandbox.run(["environments"]).expectFailure(.failure, "unknown setting 'protect'")
    }

    @Test("without the file it says how cluster commands behave, on stderr")
    func noFile() async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(["environments"])
        result.expectSuccess()
        #expect(result.stdout.isEmpty && result.stderr.contains("kubectl's current context"))
    }
}
