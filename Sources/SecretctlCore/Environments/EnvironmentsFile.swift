import SecretctlYAML

/// `secrets/environments.yaml`: binds each environment to a cluster. Value-free, committed.
///
/// ```yaml
/// environments:
///   dev:
///     context: minikube
///     namespace: todo-dev
///   prod:
///     context: prod-eks
///     namespace: todo
///     template: k8s/secret.yaml
///     protected: true
/// ```
///
/// Parsing is strict: an unknown key (a misspelt `protected`) is an error, not a default.
package struct EnvironmentsFile: Equatable, Sendable {
    package static let relativePath = "secrets/environments.yaml"
    private static let knownKeys: Set<String> = ["context", "namespace", "template", "protected"]

    /// Sorted by name.
    package var environments: [EnvironmentDefinition]

    package init(environments: [EnvironmentDefinition]) {
        self.environments = environments.sorted { $0.name < $1.name }
    }

    package subscript(name: String) -> EnvironmentDefinition? { environments.first { $0.name == name } }

    package static func path(projectRoot: String) -> String { Path.join(projectRoot, relativePath) }

    /// The file under `projectRoot`, or nil when there is none.
    package static func load(projectRoot: String) throws(SecretctlError) -> EnvironmentsFile? {
        let path = path(projectRoot: projectRoot)
        guard FileSystem.exists(path) else { return nil }
        let bytes = try FileSystem.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw SecretctlError(.failure, "\(path) is not UTF-8 text") }
        return try parse(text, source: path)
    }

    package static func parse(_ text: String, source: String) throws(SecretctlError) -> EnvironmentsFile {
        func fail(_ problem: String) -> SecretctlError {
            SecretctlError(.failure, "\(source): \(problem)", hint: "see 'secretctl environments --help' for the layout")
        }
        let documents = try YAMLDocuments.parse(text, source: source)
        guard documents.count == 1, case let .mapping(root) = documents[0] else { throw fail("expected one mapping with the key 'environments'") }
        for (key, _) in root where YAMLDocuments.string(key) != "environments" {
            throw fail("unknown key '\(YAMLDocuments.string(key) ?? "?")' at \(YAMLDocuments.line(key)); only 'environments' is allowed")
        }
        guard let environmentsNode = root["environments"], case let .mapping(entries) = environmentsNode else {
            throw fail("'environments' must map each environment name to its settings")
        }
        var definitions: [EnvironmentDefinition] = []
        for (nameNode, settingsNode) in entries {
            guard let name = YAMLDocuments.string(nameNode) else { throw fail("an environment name at \(YAMLDocuments.line(nameNode)) is not text") }
            if let rule = ProjectLocator.environmentNameRule(name) {
                throw fail("the environment name at \(YAMLDocuments.line(nameNode)) (\(EntryName.length(name))) is not a valid environment name: a name \(rule)")
            }
            guard case let .mapping(settings) = settingsNode else { throw fail("\(name): expected its settings (context, namespace, template, protected)") }
            for (key, _) in settings {
                let text = YAMLDocuments.string(key) ?? "?"
                guard knownKeys.contains(text) else {
                    throw fail("\(name): unknown setting '\(text)' at \(YAMLDocuments.line(key)); known: context, namespace, template, protected")
                }
            }
            func text(_ key: String, required: Bool) throws(SecretctlError) -> String? {
                let node = settings[key]
                if YAMLDocuments.isNull(node) {
                    if required { throw fail("\(name): '\(key)' is required") }
                    return nil
                }
                guard let value = YAMLDocuments.string(node), !value.isEmpty else { throw fail("\(name): '\(key)' must be non-empty text") }
                return value
            }
            var isProtected = false
            if let node = settings["protected"], !YAMLDocuments.isNull(node) {
                switch YAMLDocuments.string(node) {
                case "true": isProtected = true
                case "false": isProtected = false
                default: throw fail("\(name): 'protected' must be true or false")
                }
            }
            definitions.append(EnvironmentDefinition(
                name: name, context: try text("context", required: true)!, namespace: try text("namespace", required: false),
                template: try text("template", required: false), isProtected: isProtected))
        }
        guard !definitions.isEmpty else { throw fail("no environment is declared") }
        return EnvironmentsFile(environments: definitions)
    }
}
