import SecretctlYAML

/// Loads the documents of a YAML file through libyaml (SecretctlYAML), strings only (no type
/// guessing: a manifest's meaning is decided by the code that reads it).
enum YAMLDocuments {
    static func load(_ path: String) throws(SecretctlError) -> [YAMLNode] {
        let bytes = try FileSystem.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SecretctlError(.failure, "\(path) is not UTF-8 text")
        }
        return try parse(text, source: path)
    }

    /// Errors give the problem and its line and column, never the text around it, which could
    /// hold a value.
    static func parse(_ text: String, source: String) throws(SecretctlError) -> [YAMLNode] {
        do {
            return try YAMLLoader.load(text)
        } catch {
            throw SecretctlError(.failure, "cannot parse \(source): \(error)")
        }
    }

    /// The text of a plain or quoted scalar, nil for other nodes.
    static func string(_ node: YAMLNode?) -> String? {
        node?.string
    }

    /// Whether a node is YAML null: missing, or a plain `~`, `null` or nothing.
    static func isNull(_ node: YAMLNode?) -> Bool {
        guard let node else { return true }
        return node.scalar?.isPlainNull ?? false
    }

    /// The line of a node, for messages.
    static func line(_ node: YAMLNode) -> String {
        "line \(node.mark.line)"
    }
}
