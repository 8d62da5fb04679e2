/// Why a cryptographic operation failed. Never carries key or plaintext bytes.
package enum CryptoError: Error, Equatable, Sendable {
    /// A key, nonce or tag of the wrong length; nothing was computed.
    case invalidSize(what: String, expected: Int, actual: Int)
    /// The tag did not verify: wrong key, or the data or associated data changed.
    case authenticationFailed
    /// scrypt parameters outside what this build accepts.
    case invalidParameters(String)
    /// OpenSSL reported an error; `reason` is its error string.
    case openSSL(function: String, reason: String)
}

extension CryptoError: CustomStringConvertible {
    package var description: String {
        switch self {
        case let .invalidSize(what, expected, actual):
            "\(what) must be \(expected) bytes, got \(actual)"
        case .authenticationFailed:
            "authentication failed: wrong key, or the data was changed"
        case let .invalidParameters(reason):
            "invalid parameters: \(reason)"
        case let .openSSL(function, reason):
            "OpenSSL \(function) failed: \(reason)"
        }
    }
}
