import Yams

/// Loads the documents of a YAML file with Yams, strings only (no type
/// guessing: a manifest's meaning is decided by the code that reads it).
enum YAMLDocuments {
    static func load(_ path: String) throws(SecretctlError) -> [Node] {
        let bytes = try FileSystem.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SecretctlError(.failure, "\(path) is not UTF-8 text")
        }
        return try parse(text, source: path)
    }

    static func parse(_ text: String, source: String) throws(SecretctlError) -> [Node] {
        do {
            var documents: [Node] = []
            var sequence = try compose_all(yaml: text, Resolver.basic)
            while let node = sequence.next() { documents.append(node) }
            if let error = sequence.error { throw error }
            return documents
        } catch {
            throw SecretctlError(.failure, "cannot parse \(source): \(describe(error))")
        }
    }

    /// The problem and its line, without Yams's snippet of the offending line,
    /// which could quote a value.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? YamlError else { return "not valid YAML" }
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        case let .reader(problem, _, _, _):
            return problem
        case let .duplicatedKeysInMapping(duplicates, context):
            return "line \(context.mark.line): duplicate keys \(duplicates.joined(separator: ", "))"
        default:
            return "not valid YAML"
        }
    }

    /// The text of a plain or quoted scalar, nil for other nodes.
    static func string(_ node: Node?) -> String? {
        guard case let .scalar(scalar)? = node else { return nil }
        return scalar.string
    }

    /// Whether a node is YAML null: missing, or a plain `~`, `null` or nothing.
    static func isNull(_ node: Node?) -> Bool {
        guard let node else { return true }
        guard case let .scalar(scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The line of a node, for messages.
    static func line(_ node: Node) -> String {
        node.mark.map { "line \($0.line)" } ?? "?"
    }
}
