package import SecretctlCrypto

/// A manifest stream with its Secrets filled, ready to be written to stdout or to kubectl.
package struct RenderedStream: Sendable {
    package var stream: ManifestStream
    /// For each document of `stream`, its rendering when secretctl filled it.
    package var secrets: [RenderedSecret?]

    /// The filled Secrets.
    package var filled: [RenderedSecret] { secrets.compactMap { $0 } }

    /// The documents in order, filled Secrets written as `render` writes them, the others
    /// byte for byte, separated by `---`. `order` picks and orders the documents (by index).
    package func write(order: [Int]? = nil) -> SecureBytes {
        write(order: order) { secret, text in ManifestWriter.writeYAML(secret, into: &text) }
    }

    /// The documents in order, every filled Secret replaced by its SealedSecret: nothing in
    /// it is a value in clear, so it may sit in a cache or in git.
    package func writeSealed(certificate: RSAPublicKey, scope: SealedSecretScope) throws(SecretctlError) -> SecureBytes {
        try write(order: nil) { (secret, text) throws(SecretctlError) in
            text.append(try SealedSecretWriter.write([secret], certificate: certificate, scope: scope))
        }
    }

    /// The one layout both outputs share: `filledSecret` writes each filled Secret, every
    /// other document goes through as read, ending in a line break.
    private func write<E: Error>(
        order: [Int]?, filledSecret: (RenderedSecret, inout ManifestText) throws(E) -> Void
    ) throws(E) -> SecureBytes {
        var text = ManifestText()
        for (position, index) in (order ?? Array(stream.documents.indices)).enumerated() {
            if position > 0 { text.append("---\n") }
            if let secret = secrets[index] {
                try filledSecret(secret, &text)
            } else {
                let bytes = stream.bytes(of: stream.documents[index])
                text.append(bytes)
                if bytes.withUnsafeBytes({ $0.last }) != UInt8(ascii: "\n") { text.append("\n") }
            }
        }
        return text.build()
    }
}
