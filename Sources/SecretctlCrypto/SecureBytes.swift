#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CSecretctlShims

/// Bytes that must not outlive their use: keys and decrypted values.
///
/// The storage comes from `LockedPool`: locked into memory where the system allows it (best
/// effort, once per block rather than per buffer), wiped when the last reference goes away, and
/// never printed: `description` is always `<redacted>`. A plain `[UInt8]` gets copied by the
/// compiler and the copies are never wiped; this type is a reference so there is exactly one copy.
package final class SecureBytes: @unchecked Sendable {
    // `@unchecked`: the buffer is written only inside the initializers, then read.
    private let pointer: UnsafeMutableRawBufferPointer
    private let block: LockedPool.Block
    /// How many bytes from the start of `block` an initializer could write: wiped on release.
    private let exposed: Int

    /// The number of bytes.
    package var count: Int { pointer.count }
    package var isEmpty: Bool { pointer.isEmpty }

    /// A buffer of `count` zeroed bytes, then filled by `initializer`.
    package convenience init<E: Error>(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        // Pool blocks are all zeros (fresh pages, or wiped on release), so no zero-fill pass.
        try self.init(unsafeUninitializedCount: count, initializingWith: initializer)
    }

    /// A buffer of `count` bytes that `initializer` must fill completely, without a zero-fill
    /// pass first (like `Array(unsafeUninitializedCapacity:initializingWith:)`). Bytes it leaves
    /// unwritten are unspecified (they never hold an earlier buffer's secret). If it throws, what
    /// it wrote is wiped.
    package convenience init<E: Error>(
        unsafeUninitializedCount count: Int,
        initializingWith initializer: (UnsafeMutableRawBufferPointer) throws(E) -> Void
    ) throws(E) {
        try self.init(unsafeUninitializedCapacity: count) { (buffer, initializedCount) throws(E) in
            try initializer(buffer)
            initializedCount = buffer.count
        }
    }

    /// A buffer of up to `capacity` bytes: `initializer` writes a prefix and sets
    /// `initializedCount` to its length, which becomes `count` (for outputs whose size is known
    /// only once written, such as decoding). Everything it wrote, in or beyond the prefix, is
    /// wiped on release, or at once if it throws.
    package init<E: Error>(
        unsafeUninitializedCapacity capacity: Int,
        initializingWith initializer: (UnsafeMutableRawBufferPointer, inout Int) throws(E) -> Void
    ) throws(E) {
        precondition(capacity >= 0, "negative capacity")
        let block = LockedPool.allocate(capacity)
        let buffer = UnsafeMutableRawBufferPointer(start: block.base, count: capacity)
        var initializedCount = 0
        // The initializer runs before the stored properties are set: once they are, a throw
        // would also run `deinit`, and the cleanup below would release the block twice.
        do {
            try initializer(buffer, &initializedCount)
        } catch {
            Self.release(block, exposed: capacity)
            throw error
        }
        precondition(initializedCount >= 0 && initializedCount <= capacity, "initializedCount out of range")
        pointer = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<initializedCount])
        self.block = block
        exposed = capacity
    }

    /// A copy of `bytes`. The caller stays responsible for wiping its own copy.
    package convenience init<Bytes: Collection>(copying bytes: Bytes) where Bytes.Element == UInt8 {
        self.init(unsafeUninitializedCount: bytes.count) { buffer in
            _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        }
    }

    /// A copy of raw bytes (one `memcpy`; for a sub-range of a larger buffer, pass a rebased
    /// slice of it). The caller stays responsible for wiping its own copy.
    package convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(unsafeUninitializedCount: bytes.count) { buffer in
            if !bytes.isEmpty { buffer.copyMemory(from: bytes) }
        }
    }

    /// Empty.
    package convenience init() {
        self.init(unsafeUninitializedCount: 0) { _ in }
    }

    deinit {
        Self.release(block, exposed: exposed)
    }

    /// Unmaps the large blocks kept for reuse (they hold only zeros), so the next large buffer
    /// pays for fresh pages and `mlock` again; for benchmarks of a cold start.
    package static func releaseCachedMemory() {
        LockedPool.releaseCachedBlocks()
    }

    /// Wipes what may have been written and hands the block back (all zeros again).
    private static func release(_ block: LockedPool.Block, exposed: Int) {
        wipe(UnsafeMutableRawBufferPointer(start: block.base, count: exposed))
        LockedPool.deallocate(block)
    }

    /// Read access; do not let the pointer escape.
    package func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(pointer))
    }

    /// A new buffer holding `range` of this one.
    package func slice(_ range: Range<Int>) -> SecureBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of range")
        return SecureBytes(unsafeUninitializedCount: range.count) { buffer in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: pointer[range]))
        }
    }

    /// The concatenation of several buffers.
    package static func joined(_ parts: [SecureBytes]) -> SecureBytes {
        let total = parts.reduce(0) { $0 + $1.count }
        return SecureBytes(unsafeUninitializedCount: total) { buffer in
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

    /// Overwrites `raw` with zeros in a way the compiler may not drop (`explicit_bzero`, which
    /// is `memset` plus a barrier: about 3x faster than `OPENSSL_cleanse`'s 8-byte loop at 1 MiB).
    /// The pool relies on the zeros.
    static func wipe(_ raw: UnsafeMutableRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        #if canImport(Glibc)
        explicit_bzero(base, raw.count)
        #elseif canImport(Darwin)
        _ = memset_s(base, raw.count, 0, raw.count)
        #else
        CSecretctlShims_OPENSSL_cleanse(base.assumingMemoryBound(to: UInt8.self), raw.count)
        #endif
    }
}

extension SecureBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
