internal import COpenSSL

/// Owns one `EVP_PKEY_CTX` and frees it when released.
final class PKeyContext {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`; throws with OpenSSL's reason when it is nil.
    init(taking pointer: OpaquePointer?, _ function: String) throws(CryptoError) {
        guard let pointer else { throw CryptoError.openSSL(function: function, reason: drainErrorQueue()) }
        self.pointer = pointer
    }

    deinit { EVP_PKEY_CTX_free(pointer) }
}
