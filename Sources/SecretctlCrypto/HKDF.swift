internal import COpenSSL

/// HKDF (RFC 5869) with SHA-256 through OpenSSL's `EVP_KDF` interface.
package enum HKDF {
    /// RFC 5869: at most 255 blocks of the hash's output.
    package static let maximumLength = 255 * 32

    /// `HKDF-Expand(HKDF-Extract(salt, inputKey), info, length)` with SHA-256.
    ///
    /// An empty salt means HashLen zero bytes, as RFC 5869 section 2.2 says.
    package static func sha256(inputKey: SecureBytes, salt: [UInt8], info: [UInt8], length: Int) throws(CryptoError) -> SecureBytes {
        guard length > 0, length <= maximumLength else {
            throw CryptoError.invalidParameters("HKDF-SHA256 output must be 1 to \(maximumLength) bytes, not \(length)")
        }
        guard let kdf = EVP_KDF_fetch(nil, "HKDF", nil) else {
            throw CryptoError.openSSL(function: "EVP_KDF_fetch", reason: drainErrorQueue())
        }
        let context = EVP_KDF_CTX_new(kdf)
        EVP_KDF_free(kdf)
        guard let context else { throw CryptoError.openSSL(function: "EVP_KDF_CTX_new", reason: drainErrorQueue()) }
        defer { EVP_KDF_CTX_free(context) }

        var failure: CryptoError?
        let output = SecureBytes(count: length) { out in
            inputKey.withUnsafeBytes { key in
                var salt = salt
                var info = info
                salt.withUnsafeMutableBytes { saltBytes in
                    info.withUnsafeMutableBytes { infoBytes in
                        // OSSL_PARAM keeps the name pointers, so they must be static.
                        var parameters = [
                            OSSL_PARAM_construct_utf8_string(Names.digest, Names.sha256, 0),
                            OSSL_PARAM_construct_octet_string(Names.key, UnsafeMutableRawPointer(mutating: key.baseAddress), key.count),
                        ]
                        // Absent salt and info are RFC 5869's defaults (zeros, empty).
                        if !saltBytes.isEmpty {
                            parameters.append(OSSL_PARAM_construct_octet_string(Names.salt, saltBytes.baseAddress, saltBytes.count))
                        }
                        if !infoBytes.isEmpty {
                            parameters.append(OSSL_PARAM_construct_octet_string(Names.info, infoBytes.baseAddress, infoBytes.count))
                        }
                        parameters.append(OSSL_PARAM_construct_end())
                        if EVP_KDF_derive(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), length, &parameters) != 1 {
                            failure = .openSSL(function: "EVP_KDF_derive", reason: drainErrorQueue())
                        }
                    }
                }
            }
            if failure != nil { out.initializeMemory(as: UInt8.self, repeating: 0) }
        }
        if let failure { throw failure }
        return output
    }

    /// C strings with static storage for `OSSL_PARAM` names (from `core_names.h`).
    private enum Names {
        // Computed: a StaticString's bytes are static data, valid for the whole process.
        static var digest: UnsafePointer<CChar> { cString("digest") }
        static var key: UnsafePointer<CChar> { cString("key") }
        static var salt: UnsafePointer<CChar> { cString("salt") }
        static var info: UnsafePointer<CChar> { cString("info") }
        static var sha256: UnsafeMutablePointer<CChar> { UnsafeMutablePointer(mutating: cString("SHA256")) }

        private static func cString(_ text: StaticString) -> UnsafePointer<CChar> {
            UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
        }
    }
}
