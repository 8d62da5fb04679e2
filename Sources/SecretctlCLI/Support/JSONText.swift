import SecretctlCore

/// JSON string quoting for the `--json` outputs (names and times, never values): the same
/// escaping the rendered manifests use.
enum JSONText {
    static func quote(_ text: String) -> String {
        ManifestScalar.json(text)
    }
}
