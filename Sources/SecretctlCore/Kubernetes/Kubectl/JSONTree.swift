/// A strict, small JSON reader for kubectl's output, which holds secret values
/// (base64 under `data`, and every value again in a last-applied annotation).
/// Strings are not copied out: a string is the byte range of its contents in
/// the caller's buffer, so values stay in the caller's wiping buffer. Object
/// keys, which are names, are decoded to `String`.
indirect enum JSONTree {
    case object([(key: String, value: JSONTree)])
    case array([JSONTree])
    /// The raw contents between the quotes, escapes not yet undone.
    case string(Range<Int>)
    case scalar

    subscript(key: String) -> JSONTree? {
        guard case let .object(members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    struct ParseError: Error {
        var offset: Int
    }

    static let maximumDepth = 64

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(ParseError) -> JSONTree {
        var reader = Reader(bytes: bytes)
        let tree = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.offset == bytes.count else { throw ParseError(offset: reader.offset) }
        return tree
    }

    /// Undoes the escapes of a string's raw contents into `output`; returns the
    /// length written (at most `raw.count`), or nil for a bad escape.
    static func unescape(_ raw: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        var i = 0
        var o = 0
        func put(_ byte: UInt8) { output[o] = byte; o += 1 }
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for k in 0..<4 {
                let c = raw[at + k]
                let digit: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }
        while i < raw.count {
            let c = raw[i]
            guard c == UInt8(ascii: "\\") else { put(c); i += 1; continue }
            guard i + 1 < raw.count else { return nil }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): put(e)
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0C)
            case UInt8(ascii: "n"): put(0x0A)
            case UInt8(ascii: "r"): put(0x0D)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i) else { return nil }
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                        let low = hex4(i + 2), (0xDC00..<0xE000).contains(low)
                    else { return nil }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    return nil
                }
                // UTF-8 is never longer than the escape it came from (6 or 12 bytes).
                switch scalar {
                case 0..<0x80: put(UInt8(scalar))
                case 0x80..<0x800:
                    put(UInt8(0xC0 | scalar >> 6)); put(UInt8(0x80 | scalar & 0x3F))
                case 0x800..<0x10000:
                    put(UInt8(0xE0 | scalar >> 12)); put(UInt8(0x80 | scalar >> 6 & 0x3F)); put(UInt8(0x80 | scalar & 0x3F))
                default:
                    put(UInt8(0xF0 | scalar >> 18)); put(UInt8(0x80 | scalar >> 12 & 0x3F))
                    put(UInt8(0x80 | scalar >> 6 & 0x3F)); put(UInt8(0x80 | scalar & 0x3F))
                }
            default: return nil
            }
        }
        return o
    }

    /// A non-secret string (a name, a key) as `String`.
    static func text(_ raw: UnsafeRawBufferPointer) -> String? {
        var scratch = [UInt8](repeating: 0, count: raw.count)
        let length = scratch.withUnsafeMutableBytes { unescape(raw, into: $0) }
        guard let length else { return nil }
        return String(validating: scratch[0..<length], as: UTF8.self)
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func skipSpace() {
            while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONTree {
            guard depth < JSONTree.maximumDepth else { throw ParseError(offset: offset) }
            skipSpace()
            guard offset < bytes.count else { throw ParseError(offset: offset) }
            switch bytes[offset] {
            case UInt8(ascii: "{"):
                offset += 1
                var members: [(key: String, value: JSONTree)] = []
                skipSpace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(members) }
                while true {
                    skipSpace()
                    let keyRange = try string()
                    guard let key = JSONTree.text(UnsafeRawBufferPointer(rebasing: bytes[keyRange])) else {
                        throw ParseError(offset: keyRange.lowerBound)
                    }
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    if try endOrComma(UInt8(ascii: "}")) { return .object(members) }
                }
            case UInt8(ascii: "["):
                offset += 1
                var elements: [JSONTree] = []
                skipSpace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(elements) }
                while true {
                    elements.append(try value(depth: depth + 1))
                    skipSpace()
                    if try endOrComma(UInt8(ascii: "]")) { return .array(elements) }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            default:
                try scalar()
                return .scalar
            }
        }

        mutating func expect(_ byte: UInt8) throws(ParseError) {
            guard offset < bytes.count, bytes[offset] == byte else { throw ParseError(offset: offset) }
            offset += 1
        }

        mutating func endOrComma(_ end: UInt8) throws(ParseError) -> Bool {
            guard offset < bytes.count else { throw ParseError(offset: offset) }
            if bytes[offset] == end { offset += 1; return true }
            try expect(UInt8(ascii: ","))
            return false
        }

        /// The raw contents of a string; `offset` ends after its closing quote.
        mutating func string() throws(ParseError) -> Range<Int> {
            try expect(UInt8(ascii: "\""))
            let start = offset
            while offset < bytes.count {
                let c = bytes[offset]
                if c == UInt8(ascii: "\"") {
                    offset += 1
                    return start..<(offset - 1)
                }
                if c < 0x20 { throw ParseError(offset: offset) }
                offset += c == UInt8(ascii: "\\") ? 2 : 1
            }
            throw ParseError(offset: offset)
        }

        /// A number, true, false or null; checked for its characters only.
        mutating func scalar() throws(ParseError) {
            let start = offset
            for word in ["true", "false", "null"] {
                let utf8 = Array(word.utf8)
                if offset + utf8.count <= bytes.count, bytes[offset..<offset + utf8.count].elementsEqual(utf8) {
                    offset += utf8.count
                    return
                }
            }
            while offset < bytes.count, Array("+-.0123456789eE".utf8).contains(bytes[offset]) { offset += 1 }
            guard offset > start else { throw ParseError(offset: offset) }
        }
    }
}
