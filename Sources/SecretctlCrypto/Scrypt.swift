internal import COpenSSL

/// scrypt (RFC 7914) through OpenSSL's `EVP_PBE_scrypt`.
package enum Scrypt {
    /// Derives `length` bytes from `password` and `salt` with cost `n` (a power of two), `r` and `p`.
    ///
    /// OpenSSL's default `maxmem` is 32 MiB, too small for log2 N = 18 with r = 8
    /// (256 MiB), so the limit is computed from the parameters themselves.
    package static func deriveKey(
        password: SecureBytes,
        salt: [UInt8],
        n: UInt64,
        r: UInt64,
        p: UInt64,
        length: Int
    ) throws(CryptoError) -> SecureBytes {
        guard n > 1, n & (n - 1) == 0 else { throw CryptoError.invalidParameters("N must be a power of two greater than 1") }
        guard r > 0, p > 0, length > 0 else { throw CryptoError.invalidParameters("r, p and the length must be positive") }
        let (blockSize, overflow1) = UInt64(128).multipliedReportingOverflow(by: r)
        let (vSize, overflow2) = blockSize.multipliedReportingOverflow(by: n)
        let (bSize, overflow3) = blockSize.multipliedReportingOverflow(by: p)
        // V (128·r·N) + B (128·r·p) + the scratch XY (256·r) + slack; every step checked,
        // since a sum of in-range products can still overflow (and trap).
        let (scratchSize, overflow4) = blockSize.multipliedReportingOverflow(by: 2)
        let (sum1, overflow5) = vSize.addingReportingOverflow(bSize)
        let (sum2, overflow6) = sum1.addingReportingOverflow(scratchSize)
        let (maxMemory, overflow7) = sum2.addingReportingOverflow(1 << 20)
        guard !(overflow1 || overflow2 || overflow3 || overflow4 || overflow5 || overflow6 || overflow7) else {
            throw CryptoError.invalidParameters("memory needed overflows")
        }

        var failure: CryptoError?
        let key = SecureBytes(count: length) { output in
            password.withUnsafeBytes { pass in
                let result = EVP_PBE_scrypt(
                    pass.baseAddress!.assumingMemoryBound(to: CChar.self), pass.count,
                    salt, salt.count,
                    n, r, p, maxMemory,
                    output.baseAddress!.assumingMemoryBound(to: UInt8.self), length)
                if result != 1 { failure = .openSSL(function: "EVP_PBE_scrypt", reason: drainErrorQueue()) }
            }
        }
        if let failure { throw failure }
        return key
    }
}
