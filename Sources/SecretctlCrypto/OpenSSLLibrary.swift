internal import COpenSSL

/// How the process starts OpenSSL, and the one cipher it fetches.
///
/// OpenSSL 3 initialises itself on first use with everything on: it reads `openssl.cnf`, loads
/// the error-string tables and copies every legacy cipher and digest name into its name map,
/// then the first `EVP_*Init_ex(EVP_aes_256_gcm())` fetches an implementation and asks the
/// engine table about it. None of that changes a result here, and it was about a third of the
/// instructions of a `get`. Error strings are still loaded, but only when an error is
/// formatted (`drainErrorQueue`).
package enum OpenSSLLibrary {
    /// Starts OpenSSL without the configuration file, the legacy name tables and the
    /// at-exit cleanup. Call it before any other OpenSSL call in the process (the first call
    /// fixes the options); later calls do nothing. Without it, OpenSSL starts with its
    /// defaults, which works the same, only slower.
    ///
    /// Not reading `openssl.cnf` also means `OPENSSL_CONF` cannot switch providers under us.
    /// Skipping the at-exit cleanup frees nothing secret later: OpenSSL wipes key schedules
    /// when a context is freed (`CipherContext.deinit`), and the kernel clears the pages of
    /// an exited process.
    package static func initialize() {
        let options = UInt64(OPENSSL_INIT_NO_LOAD_CONFIG) | UInt64(OPENSSL_INIT_NO_ATEXIT)
            | UInt64(OPENSSL_INIT_NO_ADD_ALL_CIPHERS) | UInt64(OPENSSL_INIT_NO_ADD_ALL_DIGESTS)
        _ = OPENSSL_init_crypto(options, nil)
    }

    /// AES-256-GCM from the default provider, fetched once for the life of the process (an
    /// `EVP_aes_256_gcm()` pointer would be looked up again on every init). `nil` only if the
    /// provider lacks it; callers then report the queued error.
    nonisolated(unsafe) static let aes256GCM: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)

    /// Loads the error-string tables, once, so a formatted error names the library and reason.
    static func loadErrorStrings() {
        _ = OPENSSL_init_crypto(UInt64(OPENSSL_INIT_LOAD_CRYPTO_STRINGS), nil)
    }
}
