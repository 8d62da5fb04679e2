internal import COpenSSL

/// Random bytes from OpenSSL's CSPRNG (`RAND_bytes`).
package enum SecureRandom {
    /// `count` random bytes for public data such as nonces and salts.
    package static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return output }
        try check(RAND_bytes(&output, Int32(count)), "RAND_bytes")
        return output
    }

    /// `count` random bytes for keys and secret values, in a wiping buffer.
    package static func secureBytes(_ count: Int) throws(CryptoError) -> SecureBytes {
        var failure: CryptoError?
        let result = SecureBytes(count: count) { buffer in
            guard count > 0 else { return }
            if RAND_bytes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count)) != 1 {
                failure = .openSSL(function: "RAND_bytes", reason: drainErrorQueue())
            }
        }
        if let failure { throw failure }
        return result
    }
}
