package import SecretctlCrypto

/// `secretctl apply`: server-side apply of the rendered Secrets through
/// kubectl's stdin, and removal of the `last-applied-configuration` annotation
/// an earlier client-side `kubectl apply` left on them (it holds every value).
package struct SecretApplier: Sendable {
    package enum Event: Equatable, Sendable {
        /// The live Secret carried the annotation and it was removed; `keys`
        /// had values in it (a reader of the annotation has seen them).
        case removedLastApplied(secret: String, keys: [String])
        /// Dry run: the annotation would be removed.
        case wouldRemoveLastApplied(secret: String, keys: [String])
        /// An earlier client-side `kubectl apply` owned these keys; the vault took them over.
        case tookOver(keys: [String])
    }

    package var kubectl: Kubectl

    package init(kubectl: Kubectl) {
        self.kubectl = kubectl
    }

    /// Applies `manifest` (the rendering of `secrets`). Reads each live Secret
    /// first (a missing one is fine), applies, then removes a leaking
    /// annotation. Returns kubectl's report of the apply.
    package func apply(
        _ secrets: [RenderedSecret], manifest: SecureBytes, namespace: String?, dryRun: Bool, forceConflicts: Bool,
        events: (Event) -> Void
    ) async throws(SecretctlError) -> String {
        var leaking: [(manifest: SecretManifest, keys: [String])] = []
        for secret in secrets {
            let live = try await kubectl.getSecret(name: secret.manifest.name, namespace: secret.manifest.namespace)
            if let live, live.hasLastAppliedConfiguration { leaking.append((secret.manifest, live.lastAppliedValueKeys)) }
        }
        let report = try await kubectl.apply(
            manifest, values: secrets.flatMap { $0.values.map(\.value) }, namespace: namespace, dryRun: dryRun,
            forceConflicts: forceConflicts)
        if !report.takenOver.isEmpty { events(.tookOver(keys: report.takenOver)) }
        for (manifest, keys) in leaking {
            if dryRun {
                events(.wouldRemoveLastApplied(secret: manifest.displayName, keys: keys))
            } else {
                try await kubectl.removeLastApplied(name: manifest.name, namespace: manifest.namespace)
                events(.removedLastApplied(secret: manifest.displayName, keys: keys))
            }
        }
        return report.text
    }
}
