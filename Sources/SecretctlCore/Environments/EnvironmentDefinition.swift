/// One environment of `secrets/environments.yaml`: where its Secrets go.
package struct EnvironmentDefinition: Equatable, Sendable {
    /// The environment's name: `secrets/<name>.vault`.
    package var name: String
    /// The kubeconfig context every kubectl call for this environment uses.
    package var context: String
    /// The namespace, when the environment fixes one (else the template's).
    package var namespace: String?
    /// The Secret template, relative to the project root (else the default).
    package var template: String?
    /// Whether applying needs the environment's name typed (or `--yes`).
    package var isProtected: Bool

    package init(name: String, context: String, namespace: String? = nil, template: String? = nil, isProtected: Bool = false) {
        self.name = name
        self.context = context
        self.namespace = namespace
        self.template = template
        self.isProtected = isProtected
    }
}
