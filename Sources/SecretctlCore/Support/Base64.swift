package import SecretctlCrypto

/// RFC 4648 base64, strict: decoding accepts only the canonical encoding.
///
/// Both directions are table-driven loops over raw buffers: a vault's payload line is the
/// whole vault in base64, so this code runs over every byte of every read and write.
package enum Base64 {
    package enum Alphabet: Sendable {
        /// `+` and `/`, padded with `=`.
        case standard
        /// `-` and `_`, without padding.
        case urlSafeUnpadded
    }

    private static let standardTable = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlTable = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// For each 12-bit group, its two characters as they lie in memory (first character first).
    private static func pairTable(_ alphabet: [UInt8]) -> [UInt16] {
        (0..<4096).map { index in
            UInt16(littleEndian: UInt16(alphabet[index >> 6]) | UInt16(alphabet[index & 63]) << 8)
        }
    }
    private static let standardPairs = pairTable(standardTable)
    private static let urlPairs = pairTable(urlTable)

    package static func encodedCount(_ count: Int, _ alphabet: Alphabet = .standard) -> Int {
        switch alphabet {
        case .standard: (count + 2) / 3 * 4
        case .urlSafeUnpadded: (count * 4 + 2) / 3
        }
    }

    // MARK: - Encoding

    /// Writes the encoding of `input` into `output`, which must hold `encodedCount(input.count)` bytes.
    package static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, _ alphabet: Alphabet = .standard) {
        precondition(output.count >= encodedCount(input.count, alphabet), "base64 output buffer too small")
        let n = input.count
        guard n > 0, let source = input.baseAddress, let target = output.baseAddress else { return }
        let table = alphabet == .standard ? standardTable : urlTable
        let pairs = alphabet == .standard ? standardPairs : urlPairs
        pairs.withUnsafeBufferPointer { pairs in
            var i = 0
            var o = 0
            while i + 3 <= n {
                let v = UInt32(source.load(fromByteOffset: i, as: UInt8.self)) << 16
                    | UInt32(source.load(fromByteOffset: i + 1, as: UInt8.self)) << 8
                    | UInt32(source.load(fromByteOffset: i + 2, as: UInt8.self))
                target.storeBytes(of: pairs[Int(v >> 12)], toByteOffset: o, as: UInt16.self)
                target.storeBytes(of: pairs[Int(v & 0xFFF)], toByteOffset: o + 2, as: UInt16.self)
                i += 3
                o += 4
            }
            let rest = n - i
            guard rest > 0 else { return }
            let v = UInt32(source.load(fromByteOffset: i, as: UInt8.self)) << 16
                | (rest == 2 ? UInt32(source.load(fromByteOffset: i + 1, as: UInt8.self)) << 8 : 0)
            target.storeBytes(of: table[Int(v >> 18 & 63)], toByteOffset: o, as: UInt8.self)
            target.storeBytes(of: table[Int(v >> 12 & 63)], toByteOffset: o + 1, as: UInt8.self)
            if rest == 2 {
                target.storeBytes(of: table[Int(v >> 6 & 63)], toByteOffset: o + 2, as: UInt8.self)
            } else if alphabet == .standard {
                target.storeBytes(of: UInt8(ascii: "="), toByteOffset: o + 2, as: UInt8.self)
            }
            if alphabet == .standard {
                target.storeBytes(of: UInt8(ascii: "="), toByteOffset: o + 3, as: UInt8.self)
            }
        }
    }

    /// The encoding of `bytes` as ASCII bytes.
    package static func encodedBytes(_ input: UnsafeRawBufferPointer, _ alphabet: Alphabet = .standard) -> [UInt8] {
        let count = encodedCount(input.count, alphabet)
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            encode(input, into: UnsafeMutableRawBufferPointer(buffer), alphabet)
            initialized = count
        }
    }

    package static func encode<Bytes: Collection>(_ bytes: Bytes, _ alphabet: Alphabet = .standard) -> String where Bytes.Element == UInt8 {
        let encoded: String? = bytes.withContiguousStorageIfAvailable { encode(UnsafeRawBufferPointer($0), alphabet) }
        return encoded ?? Array(bytes).withUnsafeBytes { encode($0, alphabet) }
    }

    private static func encode(_ input: UnsafeRawBufferPointer, _ alphabet: Alphabet) -> String {
        let count = encodedCount(input.count, alphabet)
        return String(unsafeUninitializedCapacity: count) { buffer in
            encode(input, into: UnsafeMutableRawBufferPointer(buffer), alphabet)
            return count
        }
    }

    /// The encoding of a secret, in a wiping buffer.
    package static func encode(_ secret: SecureBytes, _ alphabet: Alphabet = .standard) -> SecureBytes {
        SecureBytes(count: encodedCount(secret.count, alphabet)) { output in
            secret.withUnsafeBytes { encode($0, into: output, alphabet) }
        }
    }

    // MARK: - Decoding

    /// Bit 24 marks a byte outside the alphabet ('=' included: padding is handled apart).
    private static let invalid: UInt32 = 1 << 24

    /// One table per position in a quantum, each value already shifted into place, so a
    /// quantum is four loads and three ORs, and one comparison tells whether all four were valid.
    private static let decodeTables: [UInt32] = {
        var tables = [UInt32](repeating: invalid, count: 4 * 256)
        for (index, byte) in standardTable.enumerated() {
            for position in 0..<4 {
                tables[position * 256 + Int(byte)] = UInt32(index) << (6 * (3 - position))
            }
        }
        return tables
    }()

    /// Decodes canonical standard base64 (padded), or nil for anything else.
    package static func decode<Bytes: Collection>(_ text: Bytes) -> [UInt8]? where Bytes.Element == UInt8 {
        if let decoded = text.withContiguousStorageIfAvailable({ decode(UnsafeRawBufferPointer($0)) }) { return decoded }
        return Array(text).withUnsafeBytes { decode($0) }
    }

    package static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    /// Decodes canonical standard base64 (padded), or nil for anything else.
    package static func decode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let count = decodedCount(text) else { return nil }
        var valid = false
        let output = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            valid = decode(text, into: UnsafeMutableRawPointer(buffer.baseAddress))
            initialized = valid ? count : 0
        }
        return valid ? output : nil
    }

    /// How many bytes `text` decodes to, judged from its length and padding alone (nil when
    /// the length is not a multiple of 4). `decode(_:into:)` checks everything else.
    package static func decodedCount(_ text: UnsafeRawBufferPointer) -> Int? {
        let n = text.count
        guard n % 4 == 0 else { return nil }
        guard n > 0 else { return 0 }
        return n / 4 * 3 - padding(text)
    }

    /// The number of trailing '=' that can be padding (0, 1 or 2); whether they are in the
    /// right place is checked by the decoder.
    private static func padding(_ text: UnsafeRawBufferPointer) -> Int {
        let n = text.count
        guard n >= 4 else { return 0 }
        guard text[n - 1] == UInt8(ascii: "=") else { return 0 }
        return text[n - 2] == UInt8(ascii: "=") ? 2 : 1
    }

    /// Decodes canonical standard base64 into `target`, which must hold `decodedCount(text)`
    /// bytes. Returns false, with `target` partly written, for anything not canonical.
    ///
    /// `target` may be the start of `text` itself, or any address at or before it: the output
    /// never overtakes the input (3 bytes written for every 4 read, and each store lands before
    /// the next unread byte), so a buffer can be decoded in place.
    package static func decode(_ text: UnsafeRawBufferPointer, into target: UnsafeMutableRawPointer?) -> Bool {
        let n = text.count
        guard n % 4 == 0 else { return false }
        guard n > 0 else { return true }
        guard let source = text.baseAddress, let target else { return false }
        let padding = padding(text)
        // Every quantum but the last: four alphabet characters ('=' is invalid there).
        guard decodeQuanta(UnsafeRawBufferPointer(start: source, count: n - 4), into: target) else { return false }
        return decodeTables.withUnsafeBufferPointer { tables in
            let t0 = tables.baseAddress!, t1 = t0 + 256, t2 = t0 + 512, t3 = t0 + 768
            let i = n - 4
            let o = i / 4 * 3
            // The last quantum, with its padding read as zero bits.
            func digit(_ offset: Int, _ table: UnsafePointer<UInt32>) -> UInt32 {
                offset >= 4 - padding ? 0 : table[Int(source.load(fromByteOffset: i + offset, as: UInt8.self))]
            }
            let v = digit(0, t0) | digit(1, t1) | digit(2, t2) | digit(3, t3)
            guard v & invalid == 0 else { return false }
            // Canonical: the bits that padding drops must be zero.
            if padding == 1, v & 0xFF != 0 { return false }
            if padding == 2, v & 0xFFFF != 0 { return false }
            target.storeBytes(of: UInt8(truncatingIfNeeded: v >> 16), toByteOffset: o, as: UInt8.self)
            if padding < 2 { target.storeBytes(of: UInt8(truncatingIfNeeded: v >> 8), toByteOffset: o + 1, as: UInt8.self) }
            if padding < 1 { target.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: o + 2, as: UInt8.self) }
            return true
        }
    }

    /// Decodes whole quanta of four alphabet characters, no padding, into `target`, which must
    /// hold `text.count / 4 * 3` bytes: the inside of a longer base64 string, whose last quantum
    /// goes to `decode(_:into:)`. Returns false for a length that is not a multiple of 4 or any
    /// byte outside the alphabet ('=' included). May decode in place, as `decode(_:into:)`.
    package static func decodeQuanta(_ text: UnsafeRawBufferPointer, into target: UnsafeMutableRawPointer) -> Bool {
        let n = text.count
        guard n % 4 == 0 else { return false }
        guard n > 0, let source = text.baseAddress else { return true }
        return decodeTables.withUnsafeBufferPointer { tables in
            let t0 = tables.baseAddress!, t1 = t0 + 256, t2 = t0 + 512, t3 = t0 + 768
            var i = 0
            var o = 0
            var bad: UInt32 = 0
            // Two quanta at a time: one 8-byte load, 6 bytes out in one 8-byte store. At least
            // one more quantum follows (3 more bytes of output), so the two extra bytes never
            // leave the output; the next store overwrites them.
            while i + 8 < n {
                let w = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let a = t0[Int(w & 0xFF)] | t1[Int(w >> 8 & 0xFF)] | t2[Int(w >> 16 & 0xFF)] | t3[Int(w >> 24 & 0xFF)]
                let b = t0[Int(w >> 32 & 0xFF)] | t1[Int(w >> 40 & 0xFF)] | t2[Int(w >> 48 & 0xFF)] | t3[Int(w >> 56)]
                bad |= a | b
                let v = UInt64(a) << 40 | UInt64(b) << 16
                target.storeBytes(of: v.bigEndian, toByteOffset: o, as: UInt64.self)
                i += 8
                o += 6
            }
            while i < n {
                // The last one or two quanta: byte stores, as the output ends with them.
                let w = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                let a = t0[Int(w & 0xFF)] | t1[Int(w >> 8 & 0xFF)] | t2[Int(w >> 16 & 0xFF)] | t3[Int(w >> 24)]
                bad |= a
                target.storeBytes(of: UInt8(truncatingIfNeeded: a >> 16), toByteOffset: o, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: a >> 8), toByteOffset: o + 1, as: UInt8.self)
                target.storeBytes(of: UInt8(truncatingIfNeeded: a), toByteOffset: o + 2, as: UInt8.self)
                i += 4
                o += 3
            }
            return bad & invalid == 0
        }
    }
}
