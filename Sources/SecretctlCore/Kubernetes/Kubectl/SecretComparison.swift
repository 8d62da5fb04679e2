/// How a rendered Secret differs from the live one, by key names only: never a
/// value, never a hash of one.
package struct SecretComparison: Equatable, Sendable {
    package var secret: String
    /// False when the cluster has no such Secret.
    package var existsInCluster: Bool
    package var onlyInVault: [String]
    package var onlyInCluster: [String]
    package var changed: [String]
    package var unchanged: [String]
    /// The live Secret carries `kubectl.kubernetes.io/last-applied-configuration`.
    package var hasLastAppliedConfiguration: Bool

    package init(_ rendered: RenderedSecret, live: LiveSecret?) {
        secret = rendered.manifest.displayName
        existsInCluster = live != nil
        let clusterData = live?.data ?? [:]
        var onlyInVault: [String] = []
        var changed: [String] = []
        var unchanged: [String] = []
        for (key, value) in rendered.values {
            guard let liveValue = clusterData[key] else { onlyInVault.append(key); continue }
            if value.equals(liveValue) { unchanged.append(key) } else { changed.append(key) }
        }
        let vaultKeys = Set(rendered.values.map(\.key))
        self.onlyInVault = onlyInVault
        self.onlyInCluster = clusterData.keys.filter { !vaultKeys.contains($0) }.sortedByBytes()
        self.changed = changed
        self.unchanged = unchanged
        hasLastAppliedConfiguration = live?.hasLastAppliedConfiguration ?? false
    }

    /// Whether `secretctl apply` would change nothing.
    package var isEqual: Bool {
        existsInCluster && onlyInVault.isEmpty && onlyInCluster.isEmpty && changed.isEmpty && !hasLastAppliedConfiguration
    }
}
