internal import COpenSSL

/// An RSA public key read from a PEM certificate (or a PEM `PUBLIC KEY`), as
/// `kubeseal --fetch-cert` prints the sealed-secrets controller's key.
package final class RSAPublicKey: @unchecked Sendable {
    // `@unchecked`: the key is never changed after init, and OpenSSL allows
    // concurrent use of one EVP_PKEY for encryption.
    package static let minimumBits = 2048

    let key: PKey

    /// The modulus size in bits.
    package let bits: Int

    /// Parses the first certificate (or public key) in `pem`.
    package init(pem: [UInt8]) throws(CryptoError) {
        guard !pem.isEmpty, pem.count < 1 << 20 else { throw CryptoError.invalidParameters("the PEM text is empty or larger than 1 MiB") }
        let parsed = pem.withUnsafeBytes { raw -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            if let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                defer { X509_free(certificate) }
                return X509_get_pubkey(certificate)
            }
            // Not a certificate: try a bare public key from the start.
            _ = drainErrorQueue()
            guard let again = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(again) }
            return PEM_read_bio_PUBKEY(again, nil, nil, nil)
        }
        guard let parsed else {
            _ = drainErrorQueue()
            throw CryptoError.invalidParameters("no PEM certificate or public key found")
        }
        let key = try PKey(taking: parsed, "X509_get_pubkey")
        guard EVP_PKEY_is_a(key.pointer, "RSA") == 1 else { throw CryptoError.invalidParameters("the key is not an RSA key") }
        let bits = Int(EVP_PKEY_get_bits(key.pointer))
        guard bits >= Self.minimumBits else {
            throw CryptoError.invalidParameters("the RSA key has \(bits) bits; at least \(Self.minimumBits) are required")
        }
        self.key = key
        self.bits = bits
    }
}
