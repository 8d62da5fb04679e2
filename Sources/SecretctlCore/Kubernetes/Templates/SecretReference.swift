/// A template's pointer to a vault entry, in place of a value under a Secret's `data`:
///
///     data:
///       DATABASE_URL: secretctl:DATABASE_URL
///       DB_PASSWORD: secretctl:NEON_PASSWORD          # a key may differ from its entry
///       BETTER_AUTH_SECRETS: secretctl:BETTER_AUTH_SECRETS?   # optional: left out when absent
///
/// The `:` (and `?`) are outside the base64 alphabet, so a reference is never valid base64:
/// the API server refuses a raw `kubectl apply` of a template whole ("illegal base64 data"),
/// and nothing is created or changed. That is what makes the habitual `kubectl apply -f k8s/`
/// harmless to the live values.
package struct SecretReference: Equatable, Sendable {
    package static let prefix = "secretctl:"

    /// The vault entry the key is filled from.
    package var entry: String
    /// Left out of the rendered Secret when the vault has no such entry.
    package var isOptional: Bool

    package init(entry: String, isOptional: Bool = false) {
        self.entry = entry
        self.isOptional = isOptional
    }

    /// What a reference is written as in a template.
    package var text: String { Self.prefix + entry + (isOptional ? "?" : "") }

    /// Whether `text` is meant as a reference (it starts with `secretctl:`), well formed or not.
    package static func isReference(_ text: String) -> Bool {
        text.hasPrefix(prefix)
    }

    /// The reference `text` writes, or nil when `text` is not one. A text that starts with
    /// `secretctl:` but names no valid entry throws; the message describes the problem
    /// without repeating the text.
    package static func parse(_ text: String) throws(SecretctlError) -> SecretReference? {
        guard isReference(text) else { return nil }
        var name = Substring(text.dropFirst(prefix.count))
        let optional = name.hasSuffix("?")
        if optional { name = name.dropLast() }
        if let problem = EntryName.problem(String(name)) {
            throw SecretctlError(.failure, "a malformed reference: \(problem)",
                hint: "write secretctl:NAME, or secretctl:NAME? for a key that is optional, NAME being a vault entry")
        }
        return SecretReference(entry: String(name), isOptional: optional)
    }

    /// The reference inside a base64 text (a chart's `b64enc` of `secretctl:NAME`), or nil.
    package static func parse(base64 text: String) throws(SecretctlError) -> SecretReference? {
        guard text.utf8.count >= 16, text.utf8.count <= 512, let decoded = Base64.decode(text),
            let string = String(validating: decoded, as: UTF8.self)
        else { return nil }
        return try parse(string)
    }
}
