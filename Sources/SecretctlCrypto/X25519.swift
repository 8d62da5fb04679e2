internal import COpenSSL

/// X25519 (RFC 7748) key pairs and key agreement through OpenSSL's `EVP_PKEY` interface.
///
/// Keys are the raw 32-byte encodings of RFC 7748. A private key lives only in
/// `SecureBytes` on the Swift side and in an `EVP_PKEY` that is freed (and
/// cleansed) as soon as the call returns.
package enum X25519 {
    package static let keySize = 32

    /// A new private key made by OpenSSL's key generator.
    package static func generatePrivateKey() throws(CryptoError) -> SecureBytes {
        let context = try PKeyContext(taking: EVP_PKEY_CTX_new_from_name(nil, "X25519", nil), "EVP_PKEY_CTX_new_from_name")
        try check(EVP_PKEY_keygen_init(context.pointer), "EVP_PKEY_keygen_init")
        var generated: OpaquePointer?
        try check(EVP_PKEY_generate(context.pointer, &generated), "EVP_PKEY_generate")
        let key = try PKey(taking: generated, "EVP_PKEY_generate")
        var failure: CryptoError?
        let bytes = SecureBytes(count: keySize) { output in
            var length = keySize
            if EVP_PKEY_get_raw_private_key(key.pointer, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &length) != 1 {
                failure = .openSSL(function: "EVP_PKEY_get_raw_private_key", reason: drainErrorQueue())
            } else if length != keySize {
                failure = .invalidSize(what: "X25519 private key", expected: keySize, actual: length)
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// The public key (RFC 7748 `X25519(k, 9)`) of `privateKey`.
    package static func publicKey(privateKey: SecureBytes) throws(CryptoError) -> [UInt8] {
        let key = try privateKeyObject(privateKey)
        var output = [UInt8](repeating: 0, count: keySize)
        var length = keySize
        try check(EVP_PKEY_get_raw_public_key(key.pointer, &output, &length), "EVP_PKEY_get_raw_public_key")
        guard length == keySize else { throw CryptoError.invalidSize(what: "X25519 public key", expected: keySize, actual: length) }
        return output
    }

    /// The shared secret `X25519(privateKey, peerPublicKey)`.
    ///
    /// Refuses an all-zero result (RFC 7748 section 6.1): it comes from a
    /// low-order peer key and would make the derived key public. OpenSSL makes
    /// that check itself; it is repeated here so the rule does not depend on
    /// the library version.
    package static func sharedSecret(privateKey: SecureBytes, peerPublicKey: [UInt8]) throws(CryptoError) -> SecureBytes {
        guard peerPublicKey.count == keySize else {
            throw CryptoError.invalidSize(what: "X25519 public key", expected: keySize, actual: peerPublicKey.count)
        }
        let key = try privateKeyObject(privateKey)
        let peer = try PKey(
            taking: EVP_PKEY_new_raw_public_key_ex(nil, "X25519", nil, peerPublicKey, keySize), "EVP_PKEY_new_raw_public_key_ex")
        let context = try key.context()
        try check(EVP_PKEY_derive_init(context.pointer), "EVP_PKEY_derive_init")
        // validate_peer = 0: X25519 is defined for every 32-byte string; the
        // all-zero check below is the one that matters.
        try check(EVP_PKEY_derive_set_peer_ex(context.pointer, peer.pointer, 0), "EVP_PKEY_derive_set_peer_ex")

        var failure: CryptoError?
        let shared = SecureBytes(count: keySize) { output in
            var length = keySize
            let out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
            if EVP_PKEY_derive(context.pointer, out, &length) != 1 {
                let reason = drainErrorQueue()
                failure = .invalidParameters("X25519 key agreement failed (a low-order public key?): \(reason)")
                return
            }
            guard length == keySize else {
                failure = .invalidSize(what: "X25519 shared secret", expected: keySize, actual: length)
                return
            }
            var accumulated: UInt8 = 0
            for index in 0..<keySize { accumulated |= output[index] }
            if accumulated == 0 { failure = .invalidParameters("X25519 shared secret is all zero (a low-order public key)") }
        }
        if let failure { throw failure }
        return shared
    }

    private static func privateKeyObject(_ privateKey: SecureBytes) throws(CryptoError) -> PKey {
        guard privateKey.count == keySize else {
            throw CryptoError.invalidSize(what: "X25519 private key", expected: keySize, actual: privateKey.count)
        }
        return try privateKey.withUnsafeBytes { (raw) throws(CryptoError) -> PKey in
            try PKey(
                taking: EVP_PKEY_new_raw_private_key_ex(nil, "X25519", nil, raw.baseAddress!.assumingMemoryBound(to: UInt8.self), keySize),
                "EVP_PKEY_new_raw_private_key_ex")
        }
    }
}
