/// Fills templates from a vault and writes manifests. No I/O: the caller
/// decides where the bytes go (stdout or kubectl's stdin, never a file).
package enum SecretRenderer {
    /// The most a Secret may hold (the API server's limit: keys plus values).
    package static let maximumSecretSize = 1 << 20

    /// Fills every Secret of `template`; `namespace` overrides theirs.
    /// Refuses when the vault lacks keys (naming all of them) or a Secret is too big.
    package static func fill(_ template: SecretTemplate, from contents: VaultContents, namespace: String? = nil) throws(SecretctlError) -> [RenderedSecret] {
        try fill(template.secrets, from: contents, namespace: namespace, source: template.path)
    }

    /// Fills `manifests` (from `source`, for messages); `namespace` overrides theirs.
    package static func fill(
        _ manifests: [SecretManifest], from contents: VaultContents, namespace: String? = nil, source: String
    ) throws(SecretctlError) -> [RenderedSecret] {
        var missing: [String] = []
        var rendered: [RenderedSecret] = []
        for var manifest in manifests {
            if let namespace { manifest.namespace = namespace }
            var values: [(key: String, value: SecretValue)] = []
            for key in manifest.keys {
                let name = manifest.entry(for: key)
                if let entry = contents[name] {
                    values.append((key, entry.current.value))
                } else if !manifest.optionalKeys.contains(key) {
                    missing.append(name)
                }
            }
            rendered.append(RenderedSecret(manifest: manifest, values: values))
        }
        if !missing.isEmpty {
            let names = Array(Set(missing)).sortedByBytes()
            let first = names[0]
            throw SecretctlError(.failure,
                "the vault has no \(names.count == 1 ? "entry" : "entries") \(names.joined(separator: ", ")), which \(source) needs; nothing was rendered",
                hint: "add \(names.count == 1 ? "it" : "each") with 'secretctl set \(first)' or 'secretctl generate \(first)'")
        }
        for secret in rendered where secret.values.isEmpty {
            let optional = secret.manifest.keys.map { secret.manifest.entry(for: $0) }
            throw emptySecret(secret.manifest.displayName, in: source, hint: optional.isEmpty
                ? "list the keys the Secret needs under 'data:' in \(source), each with a reference such as 'KEY: secretctl:ENTRY'"
                : "its keys (\(optional.joined(separator: ", "))) are all optional and none is in the vault: add one with 'secretctl set \(optional[0])'")
        }
        try checkSizes(rendered)
        return rendered
    }

    /// A Secret with no keys, applied server-side with secretctl's field manager, would remove
    /// every key that manager set in the live Secret: refused, with nothing rendered.
    private static func emptySecret(_ name: String, in source: String, hint: String) -> SecretctlError {
        SecretctlError(.failure,
            "the Secret \(name) from \(source) would have no keys; applied, it would remove every key secretctl set in the live Secret, so nothing was rendered",
            hint: hint)
    }

    /// One Secret holding every vault entry.
    package static func everything(_ contents: VaultContents, name: String, namespace: String?) throws(SecretctlError) -> RenderedSecret {
        // A refused name or namespace is described, not repeated: it may be a value typed there.
        guard isDNSSubdomain(name) else {
            throw SecretctlError(.usage, "that is not a valid Secret name (\(EntryName.length(name)))",
                hint: "use lowercase letters, digits, '-' and '.', at most 253 characters")
        }
        if let namespace, !isDNSLabel(namespace) {
            throw SecretctlError(.usage, "that is not a valid namespace (\(EntryName.length(namespace)))",
                hint: "use lowercase letters, digits and '-', at most 63 characters")
        }
        guard !contents.names.isEmpty else {
            throw emptySecret(name, in: "--all", hint: "the vault is empty: add entries with 'secretctl set NAME' first")
        }
        let manifest = SecretManifest(name: name, namespace: namespace, type: "Opaque", keys: contents.names)
        let secret = RenderedSecret(manifest: manifest, values: contents.sortedEntries.map { ($0.name, $0.current.value) })
        try checkSizes([secret])
        return secret
    }

    private static func checkSizes(_ secrets: [RenderedSecret]) throws(SecretctlError) {
        for secret in secrets where secret.apiSize > maximumSecretSize {
            throw SecretctlError(.failure,
                "the Secret \(secret.manifest.displayName) would hold \(secret.apiSize) bytes; Kubernetes refuses a Secret over 1 MiB (\(maximumSecretSize) bytes)",
                hint: "split the keys over two Secrets in the template, or keep large files out of Secrets")
        }
    }

    // MARK: - Names

    /// RFC 1123 subdomain: what Kubernetes accepts as a Secret name.
    package static func isDNSSubdomain(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { isLabel(Array($0)) }
    }

    /// RFC 1123 label: what Kubernetes accepts as a namespace.
    package static func isDNSLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count <= 63 && isLabel(bytes)
    }

    /// A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at
    /// most 63 letters, digits, '-', '_' and '.' that starts and ends with a letter or digit.
    package static func isQualifiedName(_ text: String) -> Bool {
        let parts = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isLabelValue(text) && !text.isEmpty
        case 2: return isDNSSubdomain(String(parts[0])) && isLabelValue(String(parts[1])) && !parts[1].isEmpty
        default: return false
        }
    }

    /// A label value: empty, or at most 63 letters, digits, '-', '_' and '.' that start and
    /// end with a letter or digit.
    package static func isLabelValue(_ text: String) -> Bool {
        text.isEmpty || (text.utf8.count <= 63 && isAlphanumericRun(Array(text.utf8), uppercase: true, punctuation: Array("-_.".utf8)))
    }

    private static func isLabel(_ bytes: [UInt8]) -> Bool {
        isAlphanumericRun(bytes, uppercase: false, punctuation: [UInt8(ascii: "-")])
    }

    /// Non-empty, starts and ends with a letter or digit (lowercase only unless `uppercase`),
    /// and holds nothing but those and `punctuation`.
    private static func isAlphanumericRun(_ bytes: [UInt8], uppercase: Bool, punctuation: [UInt8]) -> Bool {
        func alphanumeric(_ c: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
                || (uppercase && (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c))
        }
        guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || punctuation.contains($0) }
    }
}
