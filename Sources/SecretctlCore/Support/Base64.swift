package import SecretctlCrypto

/// RFC 4648 base64, strict: decoding accepts only the canonical encoding.
package enum Base64 {
    package enum Alphabet: Sendable {
        /// `+` and `/`, padded with `=`.
        case standard
        /// `-` and `_`, without padding.
        case urlSafeUnpadded
    }

    private static let standardTable = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlTable = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    package static func encodedCount(_ count: Int, _ alphabet: Alphabet = .standard) -> Int {
        switch alphabet {
        case .standard: (count + 2) / 3 * 4
        case .urlSafeUnpadded: (count * 4 + 2) / 3
        }
    }

    /// Writes the encoding of `input` into `output`, which must hold `encodedCount(input.count)` bytes.
    package static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, _ alphabet: Alphabet = .standard) {
        let table = alphabet == .standard ? standardTable : urlTable
        var o = 0
        var i = 0
        let n = input.count
        while i + 3 <= n {
            let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            output[o] = table[Int(v >> 18 & 63)]
            output[o + 1] = table[Int(v >> 12 & 63)]
            output[o + 2] = table[Int(v >> 6 & 63)]
            output[o + 3] = table[Int(v & 63)]
            i += 3
            o += 4
        }
        let rest = n - i
        if rest > 0 {
            let v = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
            output[o] = table[Int(v >> 18 & 63)]
            output[o + 1] = table[Int(v >> 12 & 63)]
            o += 2
            if rest == 2 {
                output[o] = table[Int(v >> 6 & 63)]
                o += 1
            }
            if alphabet == .standard {
                while o % 4 != 0 {
                    output[o] = UInt8(ascii: "=")
                    o += 1
                }
            }
        }
    }

    package static func encode<Bytes: Collection>(_ bytes: Bytes, _ alphabet: Alphabet = .standard) -> String where Bytes.Element == UInt8 {
        let input = Array(bytes)
        let count = encodedCount(input.count, alphabet)
        return String(unsafeUninitializedCapacity: count) { buffer in
            input.withUnsafeBytes { encode($0, into: UnsafeMutableRawBufferPointer(buffer), alphabet) }
            return count
        }
    }

    /// The encoding of a secret, in a wiping buffer.
    package static func encode(_ secret: SecureBytes, _ alphabet: Alphabet = .standard) -> SecureBytes {
        SecureBytes(count: encodedCount(secret.count, alphabet)) { output in
            secret.withUnsafeBytes { encode($0, into: output, alphabet) }
        }
    }

    private static let decodeTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, byte) in standardTable.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

    /// Decodes canonical standard base64 (padded), or nil for anything else.
    package static func decode<Bytes: Collection>(_ text: Bytes) -> [UInt8]? where Bytes.Element == UInt8 {
        let input = Array(text)
        guard input.count % 4 == 0 else { return nil }
        guard !input.isEmpty else { return [] }
        let table = decodeTable
        // Every quantum but the last: four alphabet characters ('=' is -1 in the table, so
        // padding here is refused). The last one is checked apart, with its padding rules.
        let bodyCount = input.count - 4
        var output = [UInt8]()
        output.reserveCapacity(input.count / 4 * 3)
        let bodyOK = input.withUnsafeBufferPointer { text in
            table.withUnsafeBufferPointer { table in
                var index = 0
                while index < bodyCount {
                    let a = table[Int(text[index])], b = table[Int(text[index + 1])]
                    let c = table[Int(text[index + 2])], d = table[Int(text[index + 3])]
                    if a | b | c | d < 0 { return false }
                    let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    output.append(UInt8(v >> 16 & 0xFF))
                    output.append(UInt8(v >> 8 & 0xFF))
                    output.append(UInt8(v & 0xFF))
                    index += 4
                }
                return true
            }
        }
        guard bodyOK else { return nil }

        // The last quantum: '=' only as its last one or two characters.
        var v: UInt32 = 0
        var padding = 0
        for offset in 0..<4 {
            let byte = input[bodyCount + offset]
            v <<= 6
            if byte == UInt8(ascii: "=") {
                guard offset >= 2 else { return nil }
                padding += 1
            } else {
                guard padding == 0 else { return nil }
                let value = table[Int(byte)]
                guard value >= 0 else { return nil }
                v |= UInt32(value)
            }
        }
        output.append(UInt8(v >> 16 & 0xFF))
        if padding < 2 { output.append(UInt8(v >> 8 & 0xFF)) }
        if padding < 1 { output.append(UInt8(v & 0xFF)) }
        // Canonical: the bits that padding drops must be zero.
        if padding == 1, v & 0xFF != 0 { return nil }
        if padding == 2, v & 0xFFFF != 0 { return nil }
        return output
    }

    package static func decode(_ text: String) -> [UInt8]? { decode(text.utf8) }
}
