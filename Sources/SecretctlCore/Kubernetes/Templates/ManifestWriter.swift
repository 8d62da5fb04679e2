package import SecretctlCrypto

/// Writes rendered Secrets as YAML or JSON, byte for byte the same for the same
/// input: fields and keys sorted by their bytes (as kubectl prints them),
/// values standard base64 without line breaks under `data`.
package enum ManifestWriter {
    package static func write(_ secrets: [RenderedSecret], as format: ManifestFormat) -> SecureBytes {
        var text = ManifestText()
        switch format {
        case .yaml:
            for (index, secret) in secrets.enumerated() {
                if index > 0 { text.append("---\n") }
                yaml(secret, into: &text)
            }
        case .json:
            if secrets.count == 1 {
                json(secrets[0], indent: "", into: &text)
                text.append("\n")
            } else {
                // Several Secrets: a v1 List, which `kubectl apply -f -` takes.
                text.append("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n")
                for (index, secret) in secrets.enumerated() {
                    text.append("        ")
                    json(secret, indent: "        ", into: &text)
                    text.append(index + 1 < secrets.count ? ",\n" : "\n")
                }
                text.append("    ],\n    \"kind\": \"List\"\n}\n")
            }
        }
        return text.build()
    }

    // MARK: - YAML

    /// One Secret as YAML, into a larger text (a manifest stream).
    package static func writeYAML(_ secret: RenderedSecret, into text: inout ManifestText) {
        yaml(secret, into: &text)
    }

    private static func yaml(_ secret: RenderedSecret, into text: inout ManifestText) {
        let manifest = secret.manifest
        text.append("apiVersion: v1\n")
        if secret.values.isEmpty {
            text.append("data: {}\n")
        } else {
            text.append("data:\n")
            for (key, value) in secret.values {
                text.append("  \(ManifestScalar.yaml(key)):")
                // Plain base64 would read as a number or a boolean for some
                // values ("1234", "true"), so values are always quoted.
                text.append(" \"")
                text.appendBase64(value)
                text.append("\"\n")
            }
        }
        if let immutable = manifest.immutable { text.append("immutable: \(immutable)\n") }
        text.append("kind: Secret\nmetadata:\n")
        yamlMap("annotations", manifest.annotations, into: &text)
        yamlMap("labels", manifest.labels, into: &text)
        text.append("  name: \(ManifestScalar.yaml(manifest.name))\n")
        if let namespace = manifest.namespace { text.append("  namespace: \(ManifestScalar.yaml(namespace))\n") }
        if let type = manifest.type { text.append("type: \(ManifestScalar.yaml(type))\n") }
    }

    private static func yamlMap(_ field: String, _ map: [String: String], into text: inout ManifestText) {
        guard !map.isEmpty else { return }
        text.append("  \(field):\n")
        for key in map.keys.sortedByBytes() {
            text.append("    \(ManifestScalar.yaml(key)): \(ManifestScalar.yaml(map[key]!))\n")
        }
    }

    // MARK: - JSON (kubectl's layout: four spaces, sorted fields)

    private static func json(_ secret: RenderedSecret, indent: String, into text: inout ManifestText) {
        let manifest = secret.manifest
        let one = indent + "    "
        let two = one + "    "
        var fields: [(String, (inout ManifestText) -> Void)] = []
        fields.append(("apiVersion", { $0.append("\"v1\"") }))
        fields.append(("data", { text in
            guard !secret.values.isEmpty else { return text.append("{}") }
            text.append("{\n")
            for (index, (key, value)) in secret.values.enumerated() {
                text.append("\(two)\(ManifestScalar.json(key)): \"")
                text.appendBase64(value)
                text.append(index + 1 < secret.values.count ? "\",\n" : "\"\n")
            }
            text.append("\(one)}")
        }))
        if let immutable = manifest.immutable { fields.append(("immutable", { $0.append("\(immutable)") })) }
        fields.append(("kind", { $0.append("\"Secret\"") }))
        fields.append(("metadata", { text in
            var entries: [String] = []
            for (name, map) in [("annotations", manifest.annotations), ("labels", manifest.labels)] where !map.isEmpty {
                let three = two + "    "
                let body = map.keys.sortedByBytes()
                    .map { "\(three)\(ManifestScalar.json($0)): \(ManifestScalar.json(map[$0]!))" }
                    .joined(separator: ",\n")
                entries.append("\(two)\"\(name)\": {\n\(body)\n\(two)}")
            }
            entries.append("\(two)\"name\": \(ManifestScalar.json(manifest.name))")
            if let namespace = manifest.namespace { entries.append("\(two)\"namespace\": \(ManifestScalar.json(namespace))") }
            text.append("{\n\(entries.joined(separator: ",\n"))\n\(one)}")
        }))
        if let type = manifest.type { fields.append(("type", { $0.append(ManifestScalar.json(type)) })) }

        text.append("{\n")
        for (index, (name, body)) in fields.enumerated() {
            text.append("\(one)\"\(name)\": ")
            body(&text)
            text.append(index + 1 < fields.count ? ",\n" : "\n")
        }
        text.append("\(indent)}")
    }
}
