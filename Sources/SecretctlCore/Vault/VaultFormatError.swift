/// Why a vault file could not be read. Never carries a value.
package enum VaultFormatError: Error, Equatable, Sendable {
    /// Not a vault at all, or a vault from a version this build does not read.
    case unsupportedVersion(String)
    /// Structure or authentication failed: damaged or tampered.
    case damaged(String)
    /// No key in hand opens any unlocker.
    case wrongKey(String)
}

extension VaultFormatError: CustomStringConvertible {
    package var description: String {
        switch self {
        case let .unsupportedVersion(reason), let .damaged(reason), let .wrongKey(reason): reason
        }
    }
}
