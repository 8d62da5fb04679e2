package import SecretctlCrypto

/// Writes rendered Secrets as `bitnami.com/v1alpha1` SealedSecrets: every value sealed
/// for the controller's certificate (`SecretSealer`), the Secret's metadata and type in
/// `spec.template`. The output holds no value in the clear, so it can be committed.
package enum SealedSecretWriter {
    /// YAML documents, one per Secret, fields sorted as kubectl prints them.
    package static func write(_ secrets: [RenderedSecret], certificate: RSAPublicKey, scope: SealedSecretScope) throws(SecretctlError) -> String {
        var documents: [String] = []
        for secret in secrets {
            let manifest = secret.manifest
            let namespace = manifest.namespace ?? ""
            if scope != .clusterWide, manifest.namespace == nil {
                throw SecretctlError(
                    .usage, "\(manifest.name) has no namespace, and a \(scope.rawValue) SealedSecret is bound to one",
                    hint: "set metadata.namespace in the template, pass --namespace, or use --scope cluster-wide")
            }
            let label = scope.label(namespace: namespace, name: manifest.name)
            var text = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n"
            if let annotation = scope.annotation {
                text += "  annotations:\n    \(ManifestScalar.yaml(annotation.key)): \"\(annotation.value)\"\n"
            }
            text += "  name: \(ManifestScalar.yaml(manifest.name))\n"
            if let value = manifest.namespace { text += "  namespace: \(ManifestScalar.yaml(value))\n" }
            text += "spec:\n"
            if secret.values.isEmpty {
                text += "  encryptedData: {}\n"
            } else {
                text += "  encryptedData:\n"
                for (key, value) in secret.values {
                    text += "    \(ManifestScalar.yaml(key)): \(try SecretSealer.seal(value, certificate: certificate, label: label))\n"
                }
            }
            text += "  template:\n    metadata:\n"
            text += map("annotations", manifest.annotations, indent: "      ")
            text += map("labels", manifest.labels, indent: "      ")
            text += "      name: \(ManifestScalar.yaml(manifest.name))\n"
            if let value = manifest.namespace { text += "      namespace: \(ManifestScalar.yaml(value))\n" }
            text += "    type: \(ManifestScalar.yaml(manifest.type ?? "Opaque"))\n"
            documents.append(text)
        }
        return documents.joined(separator: "---\n")
    }

    private static func map(_ field: String, _ map: [String: String], indent: String) -> String {
        guard !map.isEmpty else { return "" }
        return "\(indent)\(field):\n" + map.keys.sortedByBytes().map { "\(indent)  \(ManifestScalar.yaml($0)): \(ManifestScalar.yaml(map[$0]!))\n" }.joined()
    }
}

extension SealedSecretWriter {
    /// The controller's certificate (PEM, as `kubeseal --fetch-cert` prints it) at `path`.
    package static func certificate(at path: String) throws(SecretctlError) -> RSAPublicKey {
        let pem = try FileSystem.read(path)
        do {
            return try RSAPublicKey(pem: pem)
        } catch {
            throw SecretctlError(.usage, "\(path) is not a usable sealed-secrets certificate: \(error)",
                hint: "fetch it with 'kubeseal --fetch-cert > cert.pem' (it is public; commit it beside the template)")
        }
    }
}
