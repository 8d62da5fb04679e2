internal import COpenSSL

/// Owns one `EVP_PKEY` (a public or private key) and frees it when released.
///
/// `EVP_PKEY_free` cleanses private key material, so a private key never
/// outlives this object inside OpenSSL.
final class PKey {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`; throws with OpenSSL's reason when it is nil.
    init(taking pointer: OpaquePointer?, _ function: String) throws(CryptoError) {
        guard let pointer else { throw CryptoError.openSSL(function: function, reason: drainErrorQueue()) }
        self.pointer = pointer
    }

    deinit { EVP_PKEY_free(pointer) }

    /// A context for operations with this key (derive, encrypt).
    func context() throws(CryptoError) -> PKeyContext {
        try PKeyContext(taking: EVP_PKEY_CTX_new(pointer, nil), "EVP_PKEY_CTX_new")
    }
}
