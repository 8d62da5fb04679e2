package import SecretctlCrypto

/// Something that may unlock a vault.
package enum UnlockKey: Sendable {
    /// The 32 bytes of a key file (or `SECRETCTL_KEY`).
    case key(SecureBytes)
    /// A passphrase's UTF-8 bytes.
    case passphrase(SecureBytes)
    /// An X25519 identity: opens the `recipient` line that lists its public key.
    case identity(Identity)
}

/// Envelope encryption of `docs/vault-format.md`: wrap, unwrap, seal, open.
package enum VaultCrypto {
    package static func newVaultID() throws(CryptoError) -> String { Hex.encode(try SecureRandom.bytes(16)) }
    package static func newKeyID() throws(CryptoError) -> String { Hex.encode(try SecureRandom.bytes(8)) }

    // MARK: - Unlockers

    package static func keyUnlocker(dataKey: SecureBytes, key: SecureBytes, keyID: String, vaultID: String) throws(CryptoError) -> Unlocker {
        let (nonce, wrapped) = try wrap(dataKey, under: key, vaultID: vaultID)
        return .key(keyID: keyID, nonce: nonce, wrapped: wrapped)
    }

    package static func passphraseUnlocker(
        dataKey: SecureBytes, passphrase: SecureBytes, parameters: ScryptParameters = .default, vaultID: String
    ) throws(CryptoError) -> Unlocker {
        let salt = try SecureRandom.bytes(16)
        let kek = try derive(passphrase: passphrase, parameters: parameters, salt: salt)
        let (nonce, wrapped) = try wrap(dataKey, under: kek, vaultID: vaultID)
        return .passphrase(parameters, salt: salt, nonce: nonce, wrapped: wrapped)
    }

    /// A `recipient` line wrapping `dataKey` to `recipient` (see `RecipientWrap`).
    package static func recipientUnlocker(dataKey: SecureBytes, recipient: Recipient, name: String, vaultID: String) throws(CryptoError) -> Unlocker {
        try RecipientWrap.wrap(dataKey, to: recipient, name: name, associatedData: VaultHeader(vaultID: vaultID, unlockers: []).wrapAssociatedData)
    }

    package static func derive(passphrase: SecureBytes, parameters: ScryptParameters, salt: [UInt8]) throws(CryptoError) -> SecureBytes {
        if let problem = parameters.problem { throw .invalidParameters(problem) }
        return try Scrypt.deriveKey(
            password: passphrase, salt: salt, n: 1 << UInt64(parameters.log2N), r: UInt64(parameters.r), p: UInt64(parameters.p), length: 32)
    }

    private static func wrap(_ dataKey: SecureBytes, under kek: SecureBytes, vaultID: String) throws(CryptoError) -> ([UInt8], [UInt8]) {
        let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
        let header = VaultHeader(vaultID: vaultID, unlockers: [])
        let wrapped = try AESGCM.seal(dataKey, key: kek, nonce: nonce, authenticating: header.wrapAssociatedData)
        return (nonce, wrapped)
    }

    /// The data key, from the first unlocker that `key` opens; nil when it opens none.
    package static func unwrap(_ header: VaultHeader, with key: UnlockKey) throws(VaultFormatError) -> SecureBytes? {
        let associatedData = header.wrapAssociatedData
        for unlocker in header.unlockers {
            switch (unlocker, key) {
            case let (.key(_, nonce, wrapped), .key(material)):
                if let dataKey = try? AESGCM.open(wrapped, key: material, nonce: nonce, authenticating: associatedData) { return dataKey }
            case let (.passphrase(parameters, salt, nonce, wrapped), .passphrase(passphrase)):
                let kek: SecureBytes
                do {
                    kek = try derive(passphrase: passphrase, parameters: parameters, salt: salt)
                } catch {
                    throw .damaged("the passphrase unlocker cannot be used: \(error)")
                }
                if let dataKey = try? AESGCM.open(wrapped, key: kek, nonce: nonce, authenticating: associatedData) { return dataKey }
            case let (.recipient(_, recipientKey, ephemeralKey, nonce, wrapped), .identity(identity)):
                // Only the line listing this identity's public key can open; the others are not tried.
                guard recipientKey == identity.recipient.publicKey else { continue }
                if let dataKey = try? RecipientWrap.unwrap(
                    ephemeralKey: ephemeralKey, nonce: nonce, wrapped: wrapped, recipientKey: recipientKey,
                    identity: identity.privateKey, associatedData: associatedData)
                {
                    return dataKey
                }
            default:
                continue
            }
        }
        return nil
    }

    // MARK: - Payload

    package static func seal(_ contents: VaultContents, dataKey: SecureBytes, header: VaultHeader) throws(CryptoError) -> VaultFile {
        let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
        let sealed = try AESGCM.seal(PayloadCodec.encode(contents), key: dataKey, nonce: nonce, authenticating: header.bytes)
        return VaultFile(header: header, payloadNonce: nonce, sealedPayload: sealed)
    }

    package static func open(_ file: VaultFile, dataKey: SecureBytes) throws(VaultFormatError) -> VaultContents {
        let payload: SecureBytes
        do {
            payload = try AESGCM.open(file.sealedPayload, key: dataKey, nonce: file.payloadNonce, authenticating: file.header.bytes)
        } catch {
            // The reason only: VaultStore puts "is damaged or was tampered with" in front of it.
            throw .damaged("its payload fails the integrity check (the AES-GCM tag does not match the header and contents)")
        }
        return try PayloadCodec.decode(payload)
    }
}
