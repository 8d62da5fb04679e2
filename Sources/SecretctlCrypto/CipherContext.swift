internal import COpenSSL

/// Owns one `EVP_CIPHER_CTX` and frees it when released.
final class CipherContext {
    let pointer: OpaquePointer

    init() throws(CryptoError) {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw CryptoError.openSSL(function: "EVP_CIPHER_CTX_new", reason: drainErrorQueue())
        }
        pointer = context
    }

    deinit {
        // EVP_CIPHER_CTX_free also cleanses the key schedule.
        EVP_CIPHER_CTX_free(pointer)
    }
}
