#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CSecretctlShims

/// Bytes that must not outlive their use: keys and decrypted values.
///
/// The storage is locked into memory where the system allows it (best effort),
/// wiped with `OPENSSL_cleanse` when the last reference goes away, and never
/// printed: `description` is always `<redacted>`. A plain `[UInt8]` gets
/// copied by the compiler and the copies are never wiped; this type is a
/// reference so there is exactly one copy.
package final class SecureBytes: @unchecked Sendable {
    // `@unchecked`: the buffer is written only inside the initializers, then read.
    private let pointer: UnsafeMutableRawBufferPointer
    private let locked: Bool

    /// The number of bytes.
    package var count: Int { pointer.count }
    package var isEmpty: Bool { pointer.isEmpty }

    /// A buffer of `count` bytes filled by `initializer`.
    package init<E: Error>(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        // Allocate at least one byte so the pointer is never nil.
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        raw.initializeMemory(as: UInt8.self, repeating: 0)
        let buffer = UnsafeMutableRawBufferPointer(rebasing: raw[0..<count])
        let locked = count > 0 && mlock(raw.baseAddress!, raw.count) == 0
        // The initializer runs before the stored properties are set: once they are, a throw
        // would also run `deinit`, and the cleanup below would free the buffer twice.
        do {
            try initializer(buffer)
        } catch {
            Self.wipe(raw)
            if locked { munlock(raw.baseAddress!, raw.count) }
            raw.deallocate()
            throw error
        }
        pointer = buffer
        self.locked = locked
    }

    /// A copy of `bytes`. The caller stays responsible for wiping its own copy.
    package convenience init<Bytes: Collection>(copying bytes: Bytes) where Bytes.Element == UInt8 {
        self.init(count: bytes.count) { buffer in
            _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        }
    }

    /// Empty.
    package convenience init() {
        self.init(count: 0) { _ in }
    }

    deinit {
        let raw = UnsafeMutableRawBufferPointer(start: pointer.baseAddress, count: max(pointer.count, 1))
        Self.wipe(raw)
        if locked { munlock(raw.baseAddress!, raw.count) }
        raw.deallocate()
    }

    /// Read access; do not let the pointer escape.
    package func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(pointer))
    }

    /// A new buffer holding `range` of this one.
    package func slice(_ range: Range<Int>) -> SecureBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of range")
        return SecureBytes(count: range.count) { buffer in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: pointer[range]))
        }
    }

    /// The concatenation of several buffers.
    package static func joined(_ parts: [SecureBytes]) -> SecureBytes {
        let total = parts.reduce(0) { $0 + $1.count }
        return SecureBytes(count: total) { buffer in
            var offset = 0
            for part in parts {
                part.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + source.count])
                        .copyMemory(from: source)
                }
                offset += part.count
            }
        }
    }

    /// Whether the bytes equal `other`, in time that depends only on the length.
    package func constantTimeEquals(_ other: SecureBytes) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { a in
            other.withUnsafeBytes { b in
                var difference: UInt8 = 0
                for index in 0..<a.count { difference |= a[index] ^ b[index] }
                return difference == 0
            }
        }
    }

    /// Whether the bytes equal `bytes` (for callers holding non-secret data).
    package func equals<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard count == bytes.count else { return false }
        return withUnsafeBytes { zip($0, bytes).allSatisfy { $0 == $1 } }
    }

    /// Whether any byte satisfies `predicate`.
    package func contains(where predicate: (UInt8) -> Bool) -> Bool {
        withUnsafeBytes { $0.contains(where: predicate) }
    }

    private static func wipe(_ raw: UnsafeMutableRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        CSecretctlShims_OPENSSL_cleanse(base.assumingMemoryBound(to: UInt8.self), raw.count)
    }
}

extension SecureBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
