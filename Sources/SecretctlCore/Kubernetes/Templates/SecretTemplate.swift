import SecretctlYAML

/// A template file such as `k8s/secret.yaml`: Secrets whose keys are listed
/// with empty values. Documents of other kinds are not rendered; their names
/// are kept so the command can say so.
package struct SecretTemplate: Sendable {
    package var path: String
    package var secrets: [SecretManifest]
    /// `Kind/name` of every document that is not a Secret.
    package var skipped: [String]

    package init(path: String, secrets: [SecretManifest], skipped: [String] = []) {
        self.path = path
        self.secrets = secrets
        self.skipped = skipped
    }

    /// Reads and checks a template file.
    package static func load(_ path: String) throws(SecretctlError) -> SecretTemplate {
        guard FileSystem.exists(path) else {
            throw SecretctlError(.noInput, "no template at \(path)",
                hint: "pass --template PATH, or --all --name NAME to render every vault entry without one")
        }
        return try parse(try YAMLDocuments.load(path), path: path)
    }

    /// Checks parsed documents; `path` names the file in messages.
    package static func parse(_ text: String, path: String) throws(SecretctlError) -> SecretTemplate {
        try parse(try YAMLDocuments.parse(text, source: path), path: path)
    }

    private static func parse(_ documents: [YAMLNode], path: String) throws(SecretctlError) -> SecretTemplate {
        var template = SecretTemplate(path: path, secrets: [])
        for document in documents {
            if YAMLDocuments.isNull(document) { continue }
            guard case let .mapping(mapping) = document else {
                throw SecretctlError(.failure, "\(path): \(YAMLDocuments.line(document)): a document is not a mapping")
            }
            let kind = YAMLDocuments.string(mapping["kind"]) ?? "?"
            guard kind == "Secret" else {
                let name = mapping["metadata"].flatMap { YAMLDocuments.string($0.mapping?["name"]) } ?? "?"
                template.skipped.append("\(kind)/\(name)")
                continue
            }
            template.secrets.append(try secret(mapping, path: path, line: YAMLDocuments.line(document)))
        }
        guard !template.secrets.isEmpty else {
            throw SecretctlError(.failure, "\(path) has no document of kind Secret")
        }
        var seen = Set<String>()
        for secret in template.secrets where !seen.insert(secret.displayName).inserted {
            throw SecretctlError(.failure, "\(path) declares the Secret \(secret.displayName) twice")
        }
        return template
    }

    // MARK: - One Secret

    private static let topLevelFields: Set<String> = ["apiVersion", "kind", "metadata", "type", "immutable", "data", "stringData"]
    private static let metadataFields: Set<String> = ["name", "namespace", "labels", "annotations", "creationTimestamp"]

    /// One Secret of a template. With `encodedReferences`, a `data` value may also be the
    /// base64 of a reference, as a chart's `b64enc` writes it.
    static func secret(
        _ mapping: YAMLMapping, path: String, line: String, encodedReferences: Bool = false
    ) throws(SecretctlError) -> SecretManifest {
        func fail(_ message: String, hint: String? = nil) -> SecretctlError {
            SecretctlError(.failure, "\(path): \(message)", hint: hint)
        }
        for (key, _) in mapping {
            let field = YAMLDocuments.string(key) ?? "?"
            guard topLevelFields.contains(field) else {
                throw fail("the Secret at \(line) has the field '\(field)', which secretctl does not render",
                    hint: "a template holds apiVersion, kind, metadata, type, immutable and data or stringData")
            }
        }
        guard YAMLDocuments.string(mapping["apiVersion"]) == "v1" else {
            throw fail("the Secret at \(line) must have apiVersion: v1")
        }
        guard case let .mapping(metadata)? = mapping["metadata"],
            let name = YAMLDocuments.string(metadata["name"]), !name.isEmpty
        else {
            throw fail("the Secret at \(line) has no metadata.name")
        }
        guard SecretRenderer.isDNSSubdomain(name) else {
            throw fail("the Secret at \(line) has a metadata.name (\(EntryName.length(name))) that is not a valid Secret name", hint: "use lowercase letters, digits, '-' and '.'")
        }
        for (key, value) in metadata {
            let field = YAMLDocuments.string(key) ?? "?"
            guard metadataFields.contains(field), field != "creationTimestamp" || YAMLDocuments.isNull(value) else {
                throw fail("Secret \(name): metadata.\(field) is not supported in a template",
                    hint: "metadata may hold name, namespace, labels and annotations")
            }
        }
        let namespace = try optionalString(metadata["namespace"], "metadata.namespace", secret: name, path: path)
        if let namespace, !SecretRenderer.isDNSLabel(namespace) {
            throw fail("Secret \(name): metadata.namespace (\(EntryName.length(namespace))) is not a valid namespace",
                hint: "use lowercase letters, digits and '-', at most 63 characters")
        }
        let labels = try stringMap(metadata["labels"], "metadata.labels", secret: name, path: path)
        let annotations = try stringMap(metadata["annotations"], "metadata.annotations", secret: name, path: path)
        // Kubernetes's own rules, checked here so render never writes a manifest the API server
        // refuses (or a key too long for a YAML implicit key). Keys and values are told by length.
        for (key, value) in labels {
            guard SecretRenderer.isQualifiedName(key) else {
                throw fail("Secret \(name): metadata.labels has a key (\(EntryName.length(key))) that is not a valid label key",
                    hint: "a label key is an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' and '.'")
            }
            guard SecretRenderer.isLabelValue(value) else {
                throw fail("Secret \(name): the label \(key) has a value (\(EntryName.length(value))) that is not a valid label value",
                    hint: "a label value is empty or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit")
            }
        }
        for key in annotations.keys where !SecretRenderer.isQualifiedName(key) {
            throw fail("Secret \(name): metadata.annotations has a key (\(EntryName.length(key))) that is not a valid annotation key",
                hint: "an annotation key is an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' and '.'")
        }
        let type = try optionalString(mapping["type"], "type", secret: name, path: path)
        var immutable: Bool?
        if !YAMLDocuments.isNull(mapping["immutable"]) {
            switch YAMLDocuments.string(mapping["immutable"]) {
            case "true": immutable = true
            case "false": immutable = false
            default: throw fail("Secret \(name): immutable must be true or false")
            }
        }

        var keys: [String] = []
        var seen = Set<String>()
        var sources: [String: String] = [:]
        var referenceOptional: Set<String> = []
        var emptyValueKeys: [String] = []
        for field in ["data", "stringData"] {
            guard let node = mapping[field], !YAMLDocuments.isNull(node) else { continue }
            guard case let .mapping(entries) = node else { throw fail("Secret \(name): \(field) must be a mapping") }
            for (keyNode, valueNode) in entries {
                guard let key = YAMLDocuments.string(keyNode) else {
                    throw fail("Secret \(name): \(field) at \(YAMLDocuments.line(keyNode)) has a key that is not a string")
                }
                if let problem = EntryName.problem(key) {
                    throw fail("Secret \(name): \(field): \(problem)")
                }
                guard seen.insert(key).inserted else {
                    throw fail("Secret \(name): the key \(key) is listed twice (data and stringData)")
                }
                if isEmptyValue(valueNode) {
                    emptyValueKeys.append(key)
                    keys.append(key)
                    continue
                }
                let text = YAMLDocuments.string(valueNode) ?? ""
                let reference: SecretReference?
                do throws(SecretctlError) {
                    if let plain = try SecretReference.parse(text) {
                        reference = plain
                    } else {
                        reference = encodedReferences ? try SecretReference.parse(base64: text) : nil
                    }
                } catch {
                    throw fail("Secret \(name): \(field).\(key) holds \(error.message)", hint: error.hint)
                }
                guard let reference else {
                    // Never quote the value: it may be a real secret.
                    throw fail("Secret \(name): \(field).\(key) holds a value. A template must not hold values: "
                            + "if it is a real one it may have been committed to git",
                        hint: "rotate \(key) ('secretctl rotate \(key)' or 'secretctl set \(key)'), then write "
                            + "'\(key): \(SecretReference(entry: key).text)' under data")
                }
                guard field == "data" else {
                    throw fail("Secret \(name): stringData.\(key) holds a reference. Under stringData a raw 'kubectl apply' "
                            + "would store the reference text itself as the value; under data the API server refuses it",
                        hint: "move \(key) under data: '\(key): \(reference.text)'")
                }
                keys.append(key)
                if reference.entry != key { sources[key] = reference.entry }
                if reference.isOptional { referenceOptional.insert(key) }
            }
        }

        let optionalKeys = Set(
            (annotations[SecretManifest.optionalKeysAnnotation] ?? "")
                .split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init))
        for key in optionalKeys.sortedByBytes() where !seen.contains(key) {
            throw fail("Secret \(name): the annotation \(SecretManifest.optionalKeysAnnotation) names \(key), which is not one of its keys",
                hint: "list \(key) under data with the value \"\", or remove it from the annotation")
        }
        return SecretManifest(
            name: name, namespace: namespace, labels: labels, annotations: annotations, type: type,
            immutable: immutable, keys: keys, optionalKeys: optionalKeys.union(referenceOptional), sources: sources,
            emptyValueKeys: emptyValueKeys)
    }

    /// Empty string or null; anything else (including a placeholder) is a value.
    private static func isEmptyValue(_ node: YAMLNode) -> Bool {
        if YAMLDocuments.isNull(node) { return true }
        guard case let .scalar(scalar) = node else { return false }
        return scalar.text.isEmpty
    }

    private static func optionalString(_ node: YAMLNode?, _ field: String, secret: String, path: String) throws(SecretctlError) -> String? {
        if YAMLDocuments.isNull(node) { return nil }
        guard let text = YAMLDocuments.string(node), !text.isEmpty else {
            throw SecretctlError(.failure, "\(path): Secret \(secret): \(field) must be a string")
        }
        return text
    }

    private static func stringMap(_ node: YAMLNode?, _ field: String, secret: String, path: String) throws(SecretctlError) -> [String: String] {
        if YAMLDocuments.isNull(node) { return [:] }
        guard case let .mapping(mapping)? = node else {
            throw SecretctlError(.failure, "\(path): Secret \(secret): \(field) must be a mapping of strings")
        }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let key = YAMLDocuments.string(key), let value = YAMLDocuments.string(value) else {
                throw SecretctlError(.failure, "\(path): Secret \(secret): \(field) must be a mapping of strings")
            }
            result[key] = value
        }
        return result
    }
}
