import SecretctlYAML

/// Finds the workloads in a folder of manifests (such as `k8s/`) that read a
/// Secret: through `envFrom[].secretRef`, `env[].valueFrom.secretKeyRef`, a
/// `secret` volume or a `projected` volume's `secret` source, in containers
/// and init containers. Pods read Secret values in environment variables only
/// at start, so these are the workloads to restart after a rotation.
package enum WorkloadFinder {
    /// What one workload reads from one Secret: some keys, or all of them.
    package struct Use: Equatable, Sendable {
        package var secret: String
        /// nil: every key (envFrom, or a volume without `items`).
        package var keys: Set<String>?
    }

    /// Workloads that read any of `keys` from the Secret `name`, sorted by
    /// file then position. A workload without a namespace is taken to live in
    /// the Secret's (a pod can only read Secrets of its own namespace).
    package static func consumers(
        ofSecret name: String, namespace: String?, keys: Set<String>, inDirectory directory: String
    ) throws(SecretctlError) -> [Workload] {
        consumers(ofSecret: name, namespace: namespace, keys: keys, among: try workloads(inDirectory: directory))
    }

    /// The workloads of `found` that read any of `keys` from the Secret `name`.
    package static func consumers(
        ofSecret name: String, namespace: String?, keys: Set<String>, among found: [(Workload, [Use])]
    ) -> [Workload] {
        var result: [Workload] = []
        for (workload, uses) in found {
            guard workload.namespace == nil || namespace == nil || workload.namespace == namespace else { continue }
            let reads = uses.contains { use in
                use.secret == name && (use.keys.map { !$0.isDisjoint(with: keys) } ?? true)
            }
            guard reads else { continue }
            var found = workload
            if found.namespace == nil { found.namespace = namespace }
            if !result.contains(found) { result.append(found) }
        }
        return result
    }

    /// Every workload in the folder's `.yaml`, `.yml` and `.json` files (not
    /// its subfolders), with the Secrets it reads.
    package static func workloads(inDirectory directory: String) throws(SecretctlError) -> [(Workload, [Use])] {
        guard FileSystem.isDirectory(directory) else {
            throw SecretctlError(.noInput, "no manifests folder at \(directory)", hint: "pass --manifests DIR")
        }
        var documents: [YAMLNode] = []
        for file in try ManifestFiles.list(in: directory) { documents += try YAMLDocuments.load(file) }
        return workloads(in: documents)
    }

    /// Every workload among `documents`, with the Secrets it reads.
    static func workloads(in documents: [YAMLNode]) -> [(Workload, [Use])] {
        var found: [(Workload, [Use])] = []
        for document in documents {
            guard case let .mapping(mapping) = document,
                let kind = YAMLDocuments.string(mapping["kind"]).flatMap(Workload.Kind.init(rawValue:)),
                let metadata = mapping["metadata"],
                let name = YAMLDocuments.string(metadata["name"])
            else { continue }
            let namespace = YAMLDocuments.string(metadata["namespace"])
            let podSpec = mapping["spec"]?["template"]?["spec"]
            found.append((Workload(kind: kind, name: name, namespace: namespace), uses(podSpec)))
        }
        return found
    }

    // MARK: - Reading a pod spec

    private static func uses(_ podSpec: YAMLNode?) -> [Use] {
        guard let podSpec else { return [] }
        var uses: [Use] = []
        for field in ["containers", "initContainers"] {
            for container in list(podSpec[field]) {
                for source in list(container["envFrom"]) {
                    if let name = YAMLDocuments.string(source["secretRef"]?["name"]) { uses.append(Use(secret: name, keys: nil)) }
                }
                for variable in list(container["env"]) {
                    let reference = variable["valueFrom"]?["secretKeyRef"]
                    if let name = YAMLDocuments.string(reference?["name"]), let key = YAMLDocuments.string(reference?["key"]) {
                        uses.append(Use(secret: name, keys: [key]))
                    }
                }
            }
        }
        for volume in list(podSpec["volumes"]) {
            if let secret = volume["secret"], let name = YAMLDocuments.string(secret["secretName"]) {
                uses.append(Use(secret: name, keys: itemKeys(secret)))
            }
            for source in list(volume["projected"]?["sources"]) {
                if let secret = source["secret"], let name = YAMLDocuments.string(secret["name"]) {
                    uses.append(Use(secret: name, keys: itemKeys(secret)))
                }
            }
        }
        return uses
    }

    /// The keys a volume lists under `items`, or nil for all of them.
    private static func itemKeys(_ source: YAMLNode) -> Set<String>? {
        let items = list(source["items"])
        guard !items.isEmpty else { return nil }
        return Set(items.compactMap { YAMLDocuments.string($0["key"]) })
    }

    private static func list(_ node: YAMLNode?) -> [YAMLNode] {
        node?.sequence?.items ?? []
    }
}
