package import SecretctlCrypto

/// The `recipient` unlocker of `docs/vault-format.md`: ephemeral X25519, HKDF-SHA256,
/// AES-256-GCM.
///
/// ```
/// shared = X25519(ephemeral private, recipient key) = X25519(identity, ephemeral key)
/// KEK    = HKDF-SHA256(IKM = shared, salt = ephemeral key || recipient key,
///                      info = "secretctl-vault/v1 recipient", L = 32)
/// ```
package enum RecipientWrap {
    package static let info = Array("secretctl-vault/v1 recipient".utf8)

    /// The key-encryption key for one line.
    package static func keyEncryptionKey(shared: SecureBytes, ephemeralKey: [UInt8], recipientKey: [UInt8]) throws(CryptoError) -> SecureBytes {
        try HKDF.sha256(inputKey: shared, salt: ephemeralKey + recipientKey, info: info, length: AESGCM.keySize)
    }

    /// Wraps `dataKey` to `recipient` under a new ephemeral key pair (its private half is dropped here).
    package static func wrap(
        _ dataKey: SecureBytes, to recipient: Recipient, name: String, associatedData: [UInt8]
    ) throws(CryptoError) -> Unlocker {
        let ephemeral = try X25519.generatePrivateKey()
        let ephemeralKey = try X25519.publicKey(privateKey: ephemeral)
        let shared = try X25519.sharedSecret(privateKey: ephemeral, peerPublicKey: recipient.publicKey)
        let kek = try keyEncryptionKey(shared: shared, ephemeralKey: ephemeralKey, recipientKey: recipient.publicKey)
        let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
        let wrapped = try AESGCM.seal(dataKey, key: kek, nonce: nonce, authenticating: associatedData)
        return .recipient(name: name, recipientKey: recipient.publicKey, ephemeralKey: ephemeralKey, nonce: nonce, wrapped: wrapped)
    }

    /// The data key from one recipient line, for the identity whose public key is `recipientKey`.
    package static func unwrap(
        ephemeralKey: [UInt8], nonce: [UInt8], wrapped: [UInt8], recipientKey: [UInt8], identity: SecureBytes, associatedData: [UInt8]
    ) throws(CryptoError) -> SecureBytes {
        let shared = try X25519.sharedSecret(privateKey: identity, peerPublicKey: ephemeralKey)
        let kek = try keyEncryptionKey(shared: shared, ephemeralKey: ephemeralKey, recipientKey: recipientKey)
        return try AESGCM.open(wrapped, key: kek, nonce: nonce, authenticating: associatedData)
    }
}
