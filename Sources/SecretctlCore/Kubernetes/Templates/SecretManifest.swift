/// What a template says about one Secret: everything but the values.
package struct SecretManifest: Equatable, Sendable {
    /// Template annotation naming keys that are rendered only when the vault
    /// has them (comma- or space-separated), such as `BETTER_AUTH_SECRETS`,
    /// which exists only after the first `rotate --keep-previous`.
    package static let optionalKeysAnnotation = "secretctl/optional-keys"

    package var name: String
    package var namespace: String?
    package var labels: [String: String]
    package var annotations: [String: String]
    package var type: String?
    package var immutable: Bool?
    /// The keys to fill, from `data` and `stringData`, sorted by their bytes.
    package var keys: [String]
    /// Keys left out when the vault lacks them, instead of refusing.
    package var optionalKeys: Set<String>
    /// The vault entry of each key that a reference fills from an entry of another name.
    package var sources: [String: String]
    /// Keys written the old way, with the value `""` (filled from the entry of the same name):
    /// a raw `kubectl apply` of such a template sets them to "" in the cluster.
    package var emptyValueKeys: [String]

    package init(
        name: String, namespace: String? = nil, labels: [String: String] = [:], annotations: [String: String] = [:],
        type: String? = nil, immutable: Bool? = nil, keys: [String], optionalKeys: Set<String> = [],
        sources: [String: String] = [:], emptyValueKeys: [String] = []
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.type = type
        self.immutable = immutable
        self.keys = keys.sortedByBytes()
        self.optionalKeys = optionalKeys
        self.sources = sources
        self.emptyValueKeys = emptyValueKeys.sortedByBytes()
    }

    /// The vault entry that fills `key`.
    package func entry(for key: String) -> String { sources[key] ?? key }

    /// The keys filled from `entry`.
    package func keys(filledFrom entry: String) -> [String] {
        keys.filter { self.entry(for: $0) == entry }
    }

    /// `todo-app/todo-secrets`, or the name alone without a namespace.
    package var displayName: String { namespace.map { "\($0)/\(name)" } ?? name }
}

extension Sequence<String> {
    /// Sorted by UTF-8 bytes, the order kubectl and Go's encoding/json use for map keys.
    package func sortedByBytes() -> [String] {
        sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
