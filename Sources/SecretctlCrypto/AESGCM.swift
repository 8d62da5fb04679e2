internal import COpenSSL
internal import CSecretctlShims

/// AES-256-GCM through OpenSSL's EVP interface.
///
/// Only one shape is accepted: a 32-byte key, a 12-byte nonce and a 16-byte
/// tag. Sizes are checked before any OpenSSL call; on a tag failure the
/// output is wiped and nothing is returned.
package enum AESGCM {
    package static let keySize = 32
    package static let nonceSize = 12
    package static let tagSize = 16

    /// Encrypts `plaintext`, returning `ciphertext || tag`.
    package static func seal(
        _ plaintext: SecureBytes,
        key: SecureBytes,
        nonce: [UInt8],
        authenticating associatedData: [UInt8] = []
    ) throws(CryptoError) -> [UInt8] {
        try checkSizes(key: key, nonce: nonce)
        let context = try CipherContext()
        try check(EVP_EncryptInit_ex(context.pointer, try cipher(), nil, nil, nil), "EVP_EncryptInit_ex")
        try check(CSecretctlShims_EVP_CIPHER_CTX_set_gcm_iv_length(context.pointer, Int32(nonceSize)), "EVP_CTRL_GCM_SET_IVLEN")
        try key.withUnsafeBytes { (keyBytes) throws(CryptoError) in
            try check(EVP_EncryptInit_ex(context.pointer, nil, nil, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce), "EVP_EncryptInit_ex")
        }
        try authenticate(associatedData, context: context, encrypting: true)

        // Written in full below (ciphertext, then tag), so no zero-fill pass first.
        var failure: CryptoError?
        let output = [UInt8](unsafeUninitializedCapacity: plaintext.count + tagSize) { buffer, initializedCount in
            do throws(CryptoError) {
                let output = buffer.baseAddress!
                var written: Int32 = 0
                if !plaintext.isEmpty {
                    try plaintext.withUnsafeBytes { (input) throws(CryptoError) in
                        try check(
                            EVP_EncryptUpdate(context.pointer, output, &written, input.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(input.count)),
                            "EVP_EncryptUpdate")
                    }
                }
                var final: Int32 = 0
                try check(EVP_EncryptFinal_ex(context.pointer, output + Int(written), &final), "EVP_EncryptFinal_ex")
                try check(CSecretctlShims_EVP_CIPHER_CTX_get_gcm_tag(context.pointer, output + plaintext.count, Int32(tagSize)), "EVP_CTRL_GCM_GET_TAG")
                initializedCount = plaintext.count + tagSize
            } catch {
                failure = error
                initializedCount = 0
            }
        }
        if let failure { throw failure }
        return output
    }

    /// Decrypts `ciphertext || tag`; throws `.authenticationFailed` if anything changed.
    package static func open(
        _ sealed: [UInt8],
        key: SecureBytes,
        nonce: [UInt8],
        authenticating associatedData: [UInt8] = []
    ) throws(CryptoError) -> SecureBytes {
        try checkSizes(key: key, nonce: nonce)
        guard sealed.count >= tagSize else {
            throw CryptoError.invalidSize(what: "sealed box", expected: tagSize, actual: sealed.count)
        }
        let ciphertextCount = sealed.count - tagSize
        let context = try CipherContext()
        try check(EVP_DecryptInit_ex(context.pointer, try cipher(), nil, nil, nil), "EVP_DecryptInit_ex")
        try check(CSecretctlShims_EVP_CIPHER_CTX_set_gcm_iv_length(context.pointer, Int32(nonceSize)), "EVP_CTRL_GCM_SET_IVLEN")
        try key.withUnsafeBytes { (keyBytes) throws(CryptoError) in
            try check(EVP_DecryptInit_ex(context.pointer, nil, nil, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce), "EVP_DecryptInit_ex")
        }
        try authenticate(associatedData, context: context, encrypting: false)

        // OpenSSL writes the plaintext straight into locked memory, without a zero-fill pass.
        // If anything fails the initializer throws, and SecureBytes wipes what was written before
        // releasing it: no partial plaintext leaves this function.
        return try SecureBytes(unsafeUninitializedCount: ciphertextCount) { (output) throws(CryptoError) in
            try sealed.withUnsafeBufferPointer { (input) throws(CryptoError) in
                let out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
                var written: Int32 = 0
                if ciphertextCount > 0 {
                    try check(EVP_DecryptUpdate(context.pointer, out, &written, input.baseAddress!, Int32(ciphertextCount)), "EVP_DecryptUpdate")
                }
                try check(
                    CSecretctlShims_EVP_CIPHER_CTX_set_gcm_tag(context.pointer, input.baseAddress! + ciphertextCount, Int32(tagSize)),
                    "EVP_CTRL_GCM_SET_TAG")
                // GCM writes nothing in Final; the block is room for any other cipher.
                var final: Int32 = 0
                var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
                let verified = withUnsafeMutableBytes(of: &scratch) { EVP_DecryptFinal_ex(context.pointer, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), &final) }
                if verified != 1 {
                    _ = drainErrorQueue()
                    throw CryptoError.authenticationFailed
                }
            }
        }
    }

    /// The fetched AES-256-GCM implementation (see `OpenSSLLibrary`).
    private static func cipher() throws(CryptoError) -> OpaquePointer {
        guard let cipher = OpenSSLLibrary.aes256GCM else {
            throw CryptoError.openSSL(function: "EVP_CIPHER_fetch(AES-256-GCM)", reason: drainErrorQueue())
        }
        return cipher
    }

    private static func checkSizes(key: SecureBytes, nonce: [UInt8]) throws(CryptoError) {
        guard key.count == keySize else { throw CryptoError.invalidSize(what: "key", expected: keySize, actual: key.count) }
        guard nonce.count == nonceSize else { throw CryptoError.invalidSize(what: "nonce", expected: nonceSize, actual: nonce.count) }
    }

    private static func authenticate(_ associatedData: [UInt8], context: CipherContext, encrypting: Bool) throws(CryptoError) {
        guard !associatedData.isEmpty else { return }
        var ignored: Int32 = 0
        if encrypting {
            try check(EVP_EncryptUpdate(context.pointer, nil, &ignored, associatedData, Int32(associatedData.count)), "EVP_EncryptUpdate(aad)")
        } else {
            try check(EVP_DecryptUpdate(context.pointer, nil, &ignored, associatedData, Int32(associatedData.count)), "EVP_DecryptUpdate(aad)")
        }
    }
}
