#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed-size buffer of plain values that is zeroed when it goes away.
///
/// The matcher's tables are derived from secret values (a transition table spells
/// the needles out), so they get the same treatment as `SecureBytes`: one owner,
/// wiped with `explicit_bzero` on release, never printed.
final class WipedBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    // `@unchecked`: written only while the matcher is built, then only read.
    let pointer: UnsafeMutableBufferPointer<Element>

    init(count: Int, repeating value: Element) {
        pointer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: value)
    }

    var count: Int { pointer.count }

    subscript(index: Int) -> Element {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    var base: UnsafeMutablePointer<Element> { pointer.baseAddress! }

    deinit {
        let raw = UnsafeMutableRawBufferPointer(pointer)
        Self.wipe(raw)
        pointer.deallocate()
    }

    static func wipe(_ raw: UnsafeMutableRawBufferPointer) {
        guard let base = raw.baseAddress, raw.count > 0 else { return }
        #if canImport(Glibc)
        explicit_bzero(base, raw.count)
        #else
        _ = memset_s(base, raw.count, 0, raw.count)
        #endif
    }
}

extension WipedBuffer: CustomStringConvertible, CustomDebugStringConvertible {
    var description: String { "<redacted>" }
    var debugDescription: String { "<redacted>" }
}
