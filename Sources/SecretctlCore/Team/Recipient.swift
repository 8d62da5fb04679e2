import SecretctlCrypto

/// A teammate's public key: who a vault's data key can be wrapped to.
///
/// Written as Bech32 with the prefix `secretctl` (`secretctl1` and 58 more
/// characters), which `secretctl keygen` prints and `recipients add` takes.
package struct Recipient: Equatable, Sendable {
    package static let humanReadablePart = "secretctl"

    /// The raw 32-byte X25519 public key.
    package let publicKey: [UInt8]

    package init(publicKey: [UInt8]) throws(SecretctlError) {
        guard publicKey.count == X25519.keySize else {
            throw SecretctlError(.usage, "a recipient key is \(X25519.keySize) bytes, not \(publicKey.count)")
        }
        self.publicKey = publicKey
    }

    /// Parses a recipient string, refusing anything but a valid `secretctl1...` string.
    ///
    /// A refused string is described by its length, never shown, not even its start: it may be
    /// a value (or an identity) pasted where the public recipient string goes.
    package init(parsing text: String) throws(SecretctlError) {
        guard let data = Bech32.decode(hrp: Self.humanReadablePart, text: SecureBytes(copying: Array(text.utf8))), data.count == X25519.keySize else {
            throw SecretctlError(.usage, "that (\(EntryName.length(text))) is not a secretctl recipient (a secretctl1... string from 'secretctl keygen')",
                hint: "copy the whole line 'secretctl keygen' printed; a typo fails its checksum")
        }
        self.publicKey = data.withUnsafeBytes { Array($0) }
    }

    /// The `secretctl1...` string.
    package var string: String {
        let encoded = Bech32.encode(hrp: Self.humanReadablePart, data: SecureBytes(copying: publicKey))
        return encoded.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The first characters of the string, enough to tell recipients apart in messages.
    package var shortString: String { String(string.prefix(20)) + "..." }
}
