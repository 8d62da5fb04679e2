import Foundation
import SecretctlCore
import Testing

/// The app's manifests in k8s/ pass the Kubernetes 1.32 schemas offline.
struct KubeManifestsTests {
    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: KubeTestTools.k8s)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test func theAppHasItsManifests() {
        #expect(Self.files == [
            "configmap.yaml", "deployment-backend.yaml", "deployment-frontend.yaml", "ingress.yaml", "namespace.yaml",
            "secret.yaml", "service-backend.yaml", "service-frontend.yaml",
        ])
    }

    @Test(arguments: files)
    func passesKubernetesValidateStrict(file: String) throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: KubeTestTools.k8s + "/" + file)))
        let problem = try KubeTestTools.validationProblem(bytes)
        #expect(problem == nil, "\(file): \(problem ?? "")")
    }

    /// The committed template holds no value, so it is safe in git.
    @Test func theSecretTemplateHoldsNoValue() throws {
        let template = try SecretTemplate.load(KubeTestTools.k8s + "/secret.yaml")
        #expect(!template.secrets.isEmpty)
    }
}
