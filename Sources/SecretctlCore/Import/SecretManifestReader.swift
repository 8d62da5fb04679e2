package import SecretctlCrypto
import SecretctlYAML

/// Reads the values of every `kind: Secret` in a YAML or JSON stream (several documents, or a
/// `kind: List` as `kubectl get secrets -o yaml` prints it).
///
/// `data` values must be canonical standard base64 (no line breaks, exact padding);
/// `stringData` values are taken as they are and win over `data` for the same key, as the
/// API server does. Values must be YAML strings: an unquoted `5432`, `true`, `yes` or `1.5` is
/// refused, as Kubernetes (YAML 1.1) refuses it. Error messages name documents, Secrets and
/// keys, never values.
///
/// libyaml (through SecretctlYAML) reads the wiping buffer where it lies, but the scalars it
/// composes are ordinary Swift strings that are not wiped; the decoded values are copied into
/// wiping buffers as soon as they are read.
package enum SecretManifestReader {
    package struct Result: Sendable {
        package var entries: [ImportedEntry]
        /// The kinds of the documents that were not Secrets (skipped).
        package var skippedKinds: [String]
    }

    package static func read(_ input: SecureBytes, source: String) throws(SecretctlError) -> Result {
        guard SecretText.isUTF8(input) else {
            throw SecretctlError(.usage, "\(source) is not UTF-8 text, so it is neither a manifest nor a dotenv file")
        }
        let documents: [YAMLNode]
        do {
            documents = try input.withUnsafeBytes { (bytes) throws(YAMLError) in try YAMLLoader.load(bytes: bytes) }
        } catch {
            throw SecretctlError(.usage, "\(source) is not valid YAML: \(error.problem) (\(error.mark))",
                hint: "check the file with 'kubectl create --dry-run=client -f FILE'; secretctl does not show its text, which may hold values")
        }

        var reader = Collector(source: source)
        for (index, document) in documents.enumerated() {
            try reader.take(document, where: "document \(index + 1)")
        }
        guard !reader.foundSecret else { return Result(entries: reader.entries, skippedKinds: reader.skippedKinds) }
        throw SecretctlError(.usage, "\(source) holds no kind: Secret",
            hint: "import takes a Secret manifest (data / stringData) or a dotenv file (NAME=value lines; --format env)")
    }

    private struct Collector {
        let source: String
        var entries: [ImportedEntry] = []
        var skippedKinds: [String] = []
        var foundSecret = false
        private var origins: [String: String] = [:]

        init(source: String) { self.source = source }

        mutating func take(_ node: YAMLNode, where location: String) throws(SecretctlError) {
            guard let object = node.mapping else {
                throw SecretctlError(.usage, "\(source), \(location): not a Kubernetes object (a mapping with apiVersion and kind)")
            }
            let kind = object["kind"]?.string ?? ""
            switch kind {
            case "Secret":
                foundSecret = true
                try takeSecret(object, where: location)
            case "List", "SecretList":
                for (index, item) in (object["items"]?.sequence?.items ?? []).enumerated() {
                    try take(item, where: "\(location), items[\(index)]")
                }
            default:
                skippedKinds.append(kind.isEmpty ? "(no kind)" : kind)
            }
        }

        private mutating func takeSecret(_ object: YAMLMapping, where location: String) throws(SecretctlError) {
            let secretName = object["metadata"]?.mapping?["name"]?.string.map { "Secret \($0)" } ?? "the Secret in \(location)"
            var values: [(key: String, value: SecretValue, origin: String)] = []
            var index: [String: Int] = [:]
            for field in ["data", "stringData"] {
                guard let node = object[field], node.resolvedTag != .null else { continue }
                guard let map = node.mapping else {
                    throw SecretctlError(.usage, "\(source): \(secretName): \(field) is not a mapping of keys to values")
                }
                for (keyNode, valueNode) in map {
                    let key = keyNode.string ?? ""
                    if let problem = EntryName.problem(key) {
                        throw SecretctlError(.usage, "\(source): \(secretName): \(field): \(problem)")
                    }
                    let origin = "\(secretName), \(field).\(key)"
                    let value = try decode(valueNode, field: field, origin: origin)
                    if let existing = index[key] {
                        values[existing] = (key, value, origin) // stringData wins, as on the API server
                    } else {
                        index[key] = values.count
                        values.append((key, value, origin))
                    }
                }
            }
            for (key, value, origin) in values {
                if let earlier = origins[key] {
                    throw SecretctlError(.usage, "\(source): \(key) is in two Secrets (\(earlier) and \(origin))",
                        hint: "import the Secrets from separate files, into separate vaults (--env)")
                }
                origins[key] = origin
                entries.append(ImportedEntry(name: key, value: value, origin: origin))
            }
        }

        private func decode(_ node: YAMLNode, field: String, origin: String) throws(SecretctlError) -> SecretValue {
            if node.resolvedTag == .null { return SecretValue(SecureBytes()) }
            guard let scalar = node.scalar else {
                throw SecretctlError(.usage, "\(source): \(origin) is not a string")
            }
            guard scalar.resolvedTag == .str else {
                throw SecretctlError(.usage, "\(source): \(origin) is a YAML \(scalar.resolvedTag), not a string; Kubernetes refuses it too",
                    hint: "quote the value in the file")
            }
            if field == "stringData" {
                return SecretValue(SecureBytes(copying: scalar.text.utf8))
            }
            guard var decoded = Base64.decode(scalar.text) else {
                throw SecretctlError(.usage, "\(source): \(origin) is not valid base64 (standard alphabet, '=' padding, no line breaks)",
                    hint: "values under data are base64; put plain text under stringData instead")
            }
            defer { decoded.withUnsafeMutableBytes { raw in for offset in raw.indices { raw[offset] = 0 } } }
            return SecretValue(SecureBytes(copying: decoded))
        }
    }
}
