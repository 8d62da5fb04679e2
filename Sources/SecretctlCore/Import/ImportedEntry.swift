/// A value read from an import file, with where it came from (for messages; never the value).
package struct ImportedEntry: Sendable {
    package var name: String
    package var value: SecretValue
    /// `line 3` for a dotenv file, `Secret todo-secrets, data.KEY` for a manifest.
    package var origin: String

    package init(name: String, value: SecretValue, origin: String) {
        self.name = name
        self.value = value
        self.origin = origin
    }
}
