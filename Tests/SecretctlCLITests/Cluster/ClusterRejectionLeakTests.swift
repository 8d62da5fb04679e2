import Foundation
import SecretctlCore
import Testing

/// The API server refuses a rendered Secret: nothing secretctl prints may hold a value,
/// raw or base64, whatever kubectl and the server put in their messages.
@Suite(.enabled(if: TestCluster.isAvailable, TestCluster.skipReason), .timeLimit(.minutes(5)))
struct ClusterRejectionLeakTests {
    enum Rejection: String, CaseIterable, Sendable {
        /// The Secret's namespace does not exist.
        case missingNamespace
        /// A `kubernetes.io/tls` Secret without `tls.crt` and `tls.key`.
        case tlsWithoutItsKeys
        /// A changed value in an `immutable: true` Secret.
        case immutableChanged
    }

    @Test(arguments: Rejection.allCases)
    func aRefusedSecretLeavesNoValueInWhatSecretctlPrints(_ rejection: Rejection) async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        var arguments = ["apply"]
        switch rejection {
        case .missingNamespace:
            arguments += ["--namespace", namespace.name + "-missing"]
        case .tlsWithoutItsKeys:
            try sandbox.writeText("""
                apiVersion: v1
                kind: Secret
                metadata: { name: todo-secrets, namespace: \(namespace.name) }
                type: kubernetes.io/tls
                data: { DATABASE_URL: "", OPENAI_API_KEY: "" }

                """, to: sandbox.project + "/k8s/secret.yaml")
        case .immutableChanged:
            try sandbox.writeText("""
                apiVersion: v1
                kind: Secret
                metadata: { name: todo-secrets, namespace: \(namespace.name) }
                type: Opaque
                immutable: true
                data: { DATABASE_URL: "", OPENAI_API_KEY: "" }

                """, to: sandbox.project + "/k8s/secret.yaml")
            await sandbox.run(["apply"]).expectSuccess()
            try await sandbox.set("OPENAI_API_KEY", "sk-proj-cluster-test-immutable-3333333333")
        }
        let result = await sandbox.run(arguments)
        result.expectFailure(.system, "kubectl apply failed")
        let before = try namespace.secretData()
        if rejection == .immutableChanged {
            #expect(before?["OPENAI_API_KEY"] == Array("sk-proj-cluster-test-0123456789".utf8), "the immutable Secret changed")
        } else {
            #expect(before == nil, "a refused Secret was created")
        }
        try sandbox.expectNoValueAnywhere([result.stderr, result.stdoutText])
    }
}
