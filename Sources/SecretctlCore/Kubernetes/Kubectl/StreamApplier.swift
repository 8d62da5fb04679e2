package import SecretctlCrypto

/// `secretctl apply -f DIR|FILE|-`: the whole rendered stream in one server-side apply with
/// secretctl's field manager, Namespaces first, each object reported as created, configured
/// or unchanged, and the `last-applied-configuration` clean-up for every filled Secret.
package struct StreamApplier: Sendable {
    /// What happened to one object.
    package struct Outcome: Equatable, Sendable {
        package enum Change: String, Sendable {
            case created, configured, unchanged
        }

        package var kind: String
        package var name: String
        package var namespace: String?
        package var change: Change
        /// Dry run: the object's namespace does not exist yet, so the server could not check it.
        package var unchecked = false

        package var line: String {
            "\(kind.lowercased())/\(name)\(namespace.map { " -n \($0)" } ?? "") \(change.rawValue)"
        }
    }

    /// What the apply did, for the report and for restarts.
    package struct Report: Sendable {
        package var outcomes: [Outcome] = []
        /// For each filled Secret that existed before, the keys whose value changed.
        package var changedKeys: [(secret: SecretManifest, keys: Set<String>)] = []
    }

    package var kubectl: Kubectl

    package init(kubectl: Kubectl) {
        self.kubectl = kubectl
    }

    /// Applies `rendered`; `namespace` (from --namespace or the environment) goes to kubectl
    /// as `-n`, for objects that name none.
    package func apply(
        _ rendered: RenderedStream, namespace: String?, dryRun: Bool, forceConflicts: Bool,
        events: (SecretApplier.Event) -> Void
    ) async throws(SecretctlError) -> Report {
        let documents = rendered.stream.documents
        let order = ApplyOrder.indices(documents)
        var report = Report()

        // The live Secrets first: the leaking annotation, and which values change.
        var leaking: [(manifest: SecretManifest, keys: [String])] = []
        for secret in rendered.filled {
            guard let live = try await kubectl.getSecret(name: secret.manifest.name, namespace: secret.manifest.namespace ?? namespace)
            else { continue }
            if live.hasLastAppliedConfiguration { leaking.append((secret.manifest, live.lastAppliedValueKeys)) }
            let changed = secret.values.filter { key, value in live.data[key].map { !value.equals($0) } ?? true }.map(\.key)
            if !changed.isEmpty { report.changedKeys.append((secret.manifest, Set(changed))) }
        }

        let before = try await kubectl.resourceVersions(Self.identities(documents, order), namespace: namespace)
        func key(_ document: ManifestDocument, _ index: Int) -> Kubectl.ObjectKey {
            let ns = rendered.secrets[index]?.manifest.namespace ?? document.namespace
            let isNamespace = document.kind == "Namespace"
            return Kubectl.ObjectKey(kind: document.kind ?? "", namespace: isNamespace ? "" : (ns ?? namespace ?? ""), name: document.name ?? "")
        }

        // A server dry run cannot check objects in a namespace this stream creates: the
        // namespace does not exist yet. They are reported as to be created, unchecked.
        var applied = order
        var unchecked: [Int] = []
        if dryRun {
            let created = Set(order.filter { documents[$0].kind == "Namespace" && before[key(documents[$0], $0)] == nil }
                .compactMap { documents[$0].name })
            unchecked = order.filter { documents[$0].kind != "Namespace" && created.contains(key(documents[$0], $0).namespace) }
            applied = order.filter { !unchecked.contains($0) }
        }

        var after: [Kubectl.ObjectKey: String] = [:]
        if !applied.isEmpty {
            let result = try await kubectl.apply(
                rendered.write(order: applied), values: rendered.filled.flatMap { $0.values.map(\.value) },
                namespace: namespace, dryRun: dryRun, forceConflicts: forceConflicts, output: Kubectl.identityOutput)
            if !result.takenOver.isEmpty { events(.tookOver(keys: result.takenOver)) }
            after = Kubectl.parseIdentities(result.text)
        }
        for index in order {
            let document = documents[index]
            let objectKey = key(document, index)
            var outcome = Outcome(
                kind: document.kind ?? "?", name: document.name ?? "?",
                namespace: objectKey.namespace.isEmpty ? nil : objectKey.namespace, change: .created)
            if unchecked.contains(index) {
                outcome.unchecked = true
            } else if let old = before[objectKey] {
                // A Secret whose values changed is configured even when secretctl's last change
                // fell in the same second (managedFields times have whole seconds).
                let valuesChanged = rendered.secrets[index].map { secret in
                    report.changedKeys.contains { $0.secret.name == secret.manifest.name && $0.secret.namespace == secret.manifest.namespace }
                } ?? false
                outcome.change = !valuesChanged && after[objectKey] == old ? .unchanged : .configured
            }
            report.outcomes.append(outcome)
        }

        for (manifest, keys) in leaking {
            if dryRun {
                events(.wouldRemoveLastApplied(secret: manifest.displayName, keys: keys))
            } else {
                try await kubectl.removeLastApplied(name: manifest.name, namespace: manifest.namespace ?? namespace)
                events(.removedLastApplied(secret: manifest.displayName, keys: keys))
            }
        }
        return report
    }

    /// A manifest naming the objects (apiVersion, kind, name, namespace) and nothing else:
    /// what `kubectl get -f -` needs to find them, without a value.
    static func identities(_ documents: [ManifestDocument], _ order: [Int]) -> SecureBytes {
        var text = ManifestText()
        text.append("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[")
        for (position, index) in order.enumerated() {
            let document = documents[index]
            var metadata = "\"name\":\(ManifestScalar.json(document.name ?? ""))"
            if let namespace = document.namespace { metadata += ",\"namespace\":\(ManifestScalar.json(namespace))" }
            text.append((position > 0 ? "," : "")
                + "{\"apiVersion\":\(ManifestScalar.json(document.apiVersion ?? "")),\"kind\":\(ManifestScalar.json(document.kind ?? "")),"
                + "\"metadata\":{\(metadata)}}")
        }
        text.append("]}\n")
        return text.build()
    }
}
