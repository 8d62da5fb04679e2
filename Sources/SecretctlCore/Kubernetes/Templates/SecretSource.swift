/// Where the Secrets to render come from: a template, or every vault entry.
package enum SecretSource: Sendable {
    /// A template file (default `k8s/secret.yaml` under the project root).
    case template(path: String)
    /// Every entry of the vault in one Secret.
    case everything(name: String)

    /// `k8s/secret.yaml` under the project root.
    package static func defaultTemplatePath(_ environment: ProcessEnvironment) -> String {
        Path.join(manifestsDirectory(environment), "secret.yaml")
    }

    /// `k8s/` under the project root: where the app's manifests live.
    package static func manifestsDirectory(_ environment: ProcessEnvironment) -> String {
        Path.join(ProjectLocator(environment: environment).projectRoot, "k8s")
    }

    /// The Secrets to render (`namespace` overrides the template's), and the
    /// `Kind/name` of template documents that are not Secrets and are left out.
    /// Refuses before anything is written.
    package func render(_ contents: VaultContents, namespace: String?) throws(SecretctlError) -> (secrets: [RenderedSecret], skipped: [String]) {
        switch self {
        case let .template(path):
            let template = try SecretTemplate.load(path)
            return (try SecretRenderer.fill(template, from: contents, namespace: namespace), template.skipped)
        case let .everything(name):
            return ([try SecretRenderer.everything(contents, name: name, namespace: namespace)], [])
        }
    }

    /// What the source is, for messages.
    package var description: String {
        switch self {
        case let .template(path): path
        case let .everything(name): "--all (Secret \(name))"
        }
    }
}
