package import SecretctlCrypto

/// A secret value: a range of a wiping buffer.
///
/// Values decoded from a vault share the decrypted payload's buffer instead of
/// each getting a copy, so opening a vault of 10,000 entries makes one
/// allocation, and wiping that one buffer wipes them all.
package struct SecretValue: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    package let storage: SecureBytes
    package let range: Range<Int>

    package init(_ storage: SecureBytes) {
        self.storage = storage
        self.range = 0..<storage.count
    }

    package init(storage: SecureBytes, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count)
        self.storage = storage
        self.range = range
    }

    package var count: Int { range.count }
    package var isEmpty: Bool { range.isEmpty }

    package func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBytes { (all) throws(E) -> R in
            try body(UnsafeRawBufferPointer(rebasing: all[range]))
        }
    }

    /// The value in a buffer of its own.
    package var secureBytes: SecureBytes {
        if range == 0..<storage.count { return storage }
        return storage.slice(range)
    }

    package func equals(_ other: SecretValue) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { a in other.withUnsafeBytes { b in a.elementsEqual(b) } }
    }

    package func contains(byte: UInt8) -> Bool {
        withUnsafeBytes { $0.contains(byte) }
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
}
