package import SecretctlCrypto

/// Seals one value the way the sealed-secrets controller unseals it (its "hybrid
/// encryption"):
///
/// ```
/// session    = 32 random bytes, used for this value only
/// rsa        = RSA-OAEP(SHA-256, MGF1-SHA-256, controller key, session, label = scope label)
/// aes        = AES-256-GCM(session, nonce = 12 zero bytes, value, no associated data) || tag
/// sealed     = u16 big-endian len(rsa) || rsa || aes, then standard base64
/// ```
///
/// The all-zero nonce is safe only because each session key encrypts exactly one value.
package enum SecretSealer {
    package static let zeroNonce = [UInt8](repeating: 0, count: AESGCM.nonceSize)

    package static func seal(_ value: SecretValue, certificate: RSAPublicKey, label: [UInt8]) throws(SecretctlError) -> String {
        do {
            let session = try SecureRandom.secureBytes(AESGCM.keySize)
            let wrapped = try RSAOAEP.encryptSHA256(session, publicKey: certificate, label: label)
            let sealed = try AESGCM.seal(value.secureBytes, key: session, nonce: zeroNonce)
            guard wrapped.count <= Int(UInt16.max) else { throw CryptoError.invalidParameters("RSA ciphertext too long") }
            let length = [UInt8(wrapped.count >> 8), UInt8(wrapped.count & 0xFF)]
            return Base64.encode(length + wrapped + sealed)
        } catch {
            throw SecretctlError(.failure, "cannot seal a value: \(error)")
        }
    }
}
