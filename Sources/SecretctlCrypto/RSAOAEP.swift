internal import COpenSSL

/// RSAES-OAEP (RFC 8017) with SHA-256 for both the hash and MGF1, through
/// OpenSSL's `EVP_PKEY_encrypt`: the session-key wrap of sealed-secrets.
package enum RSAOAEP {
    /// Encrypts `plaintext` (a short key) under `publicKey` with OAEP `label`.
    package static func encryptSHA256(_ plaintext: SecureBytes, publicKey: RSAPublicKey, label: [UInt8]) throws(CryptoError) -> [UInt8] {
        // OAEP-SHA256 carries at most k - 2*32 - 2 bytes.
        let limit = publicKey.bits / 8 - 2 * 32 - 2
        guard plaintext.count <= limit else {
            throw CryptoError.invalidParameters("RSA-OAEP can carry at most \(limit) bytes with this key")
        }
        let context = try publicKey.key.context()
        try check(EVP_PKEY_encrypt_init(context.pointer), "EVP_PKEY_encrypt_init")
        try check(EVP_PKEY_CTX_set_rsa_padding(context.pointer, RSA_PKCS1_OAEP_PADDING), "EVP_PKEY_CTX_set_rsa_padding")
        try check(EVP_PKEY_CTX_set_rsa_oaep_md(context.pointer, EVP_sha256()), "EVP_PKEY_CTX_set_rsa_oaep_md")
        try check(EVP_PKEY_CTX_set_rsa_mgf1_md(context.pointer, EVP_sha256()), "EVP_PKEY_CTX_set_rsa_mgf1_md")
        if !label.isEmpty {
            // The OSSL_PARAM route copies the label (set0_rsa_oaep_label would take ownership).
            var label = label
            let result = label.withUnsafeMutableBytes { bytes -> Int32 in
                var parameters = [
                    OSSL_PARAM_construct_octet_string(oaepLabelName, bytes.baseAddress, bytes.count),
                    OSSL_PARAM_construct_end(),
                ]
                return EVP_PKEY_CTX_set_params(context.pointer, &parameters)
            }
            try check(result, "EVP_PKEY_CTX_set_params(oaep-label)")
        }
        var length = 0
        try plaintext.withUnsafeBytes { (input) throws(CryptoError) in
            let bytes = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
            try check(EVP_PKEY_encrypt(context.pointer, nil, &length, bytes, input.count), "EVP_PKEY_encrypt")
        }
        var output = [UInt8](repeating: 0, count: length)
        try plaintext.withUnsafeBytes { (input) throws(CryptoError) in
            let bytes = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
            try check(EVP_PKEY_encrypt(context.pointer, &output, &length, bytes, input.count), "EVP_PKEY_encrypt")
        }
        return Array(output.prefix(length))
    }

    /// `OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL`, with static storage as OSSL_PARAM requires.
    private static var oaepLabelName: UnsafePointer<CChar> { UnsafeRawPointer(("oaep-label" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self) }
}
