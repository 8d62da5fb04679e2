/// A Secret with its values from the vault, ready to be written out.
package struct RenderedSecret: Sendable {
    package var manifest: SecretManifest
    /// Sorted by key bytes.
    package var values: [(key: String, value: SecretValue)]

    package init(manifest: SecretManifest, values: [(key: String, value: SecretValue)]) {
        self.manifest = manifest
        self.values = values.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// The size the API server counts against its 1 MiB limit: keys plus decoded values.
    package var apiSize: Int {
        values.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
    }

    package func value(for key: String) -> SecretValue? {
        values.first { $0.key == key }?.value
    }
}
