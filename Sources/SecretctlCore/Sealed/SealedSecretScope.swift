/// Which Secrets a sealed value may become (sealed-secrets' scopes). The scope is part
/// of the RSA-OAEP label, so a value sealed for one name and namespace cannot be
/// moved to another by editing the SealedSecret.
package enum SealedSecretScope: String, Sendable, CaseIterable {
    /// Only a Secret of this name in this namespace (the default).
    case strict
    /// Any name, in this namespace.
    case namespaceWide = "namespace-wide"
    /// Any name, any namespace.
    case clusterWide = "cluster-wide"

    /// The OAEP label: `namespace/name`, `namespace`, or empty.
    package func label(namespace: String, name: String) -> [UInt8] {
        switch self {
        case .strict: Array("\(namespace)/\(name)".utf8)
        case .namespaceWide: Array(namespace.utf8)
        case .clusterWide: []
        }
    }

    /// The annotation that declares the scope on the SealedSecret (none for strict).
    package var annotation: (key: String, value: String)? {
        switch self {
        case .strict: nil
        case .namespaceWide: ("sealedsecrets.bitnami.com/namespace-wide", "true")
        case .clusterWide: ("sealedsecrets.bitnami.com/cluster-wide", "true")
        }
    }
}
