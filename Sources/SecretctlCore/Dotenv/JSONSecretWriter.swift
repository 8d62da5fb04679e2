package import SecretctlCrypto

/// Writes entries as a JSON object `{"NAME": "value", ...}` (RFC 8259), one member per line,
/// in the order given. Values must be UTF-8 text; control characters are escaped.
package enum JSONSecretWriter {
    package static func write(_ entries: [(name: String, value: SecretValue)]) throws(SecretctlError) -> SecureBytes {
        if entries.isEmpty { return SecureBytes(copying: Array("{}\n".utf8)) }
        var total = 2 // "{\n"
        for (index, (name, value)) in entries.enumerated() {
            guard SecretText.isUTF8(value) else { throw SecretText.notText(name, format: "JSON") }
            total += 2 + encodedCount(name.utf8) + 2 + value.withUnsafeBytes { encodedCount($0) }
            total += index + 1 < entries.count ? 2 : 1 // ",\n" or "\n"
        }
        total += 2 // "}\n"
        return SecureBytes(count: total) { output in
            var offset = 0
            func put(_ byte: UInt8) {
                output[offset] = byte
                offset += 1
            }
            func putString<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
                put(UInt8(ascii: "\""))
                for byte in bytes {
                    switch escape(byte) {
                    case .none: put(byte)
                    case let .some(escaped): for character in escaped { put(character) }
                    }
                }
                put(UInt8(ascii: "\""))
            }
            put(UInt8(ascii: "{"))
            put(UInt8(ascii: "\n"))
            for (index, (name, value)) in entries.enumerated() {
                put(UInt8(ascii: " "))
                put(UInt8(ascii: " "))
                putString(name.utf8)
                put(UInt8(ascii: ":"))
                put(UInt8(ascii: " "))
                value.withUnsafeBytes { putString($0) }
                if index + 1 < entries.count { put(UInt8(ascii: ",")) }
                put(UInt8(ascii: "\n"))
            }
            put(UInt8(ascii: "}"))
            put(UInt8(ascii: "\n"))
        }
    }

    private static func encodedCount<Bytes: Sequence>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8 {
        bytes.reduce(2) { $0 + (escape($1)?.count ?? 1) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func escape(_ byte: UInt8) -> [UInt8]? {
        switch byte {
        case UInt8(ascii: "\""): Array("\\\"".utf8)
        case UInt8(ascii: "\\"): Array("\\\\".utf8)
        case UInt8(ascii: "\n"): Array("\\n".utf8)
        case UInt8(ascii: "\r"): Array("\\r".utf8)
        case UInt8(ascii: "\t"): Array("\\t".utf8)
        case 0..<0x20: Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
        default: nil
        }
    }
}
