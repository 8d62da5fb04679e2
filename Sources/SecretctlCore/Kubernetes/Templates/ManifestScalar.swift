/// Quotes names, labels and annotations for the rendered manifest. Never used
/// for secret values: those are base64 and go through `ManifestText`.
package enum ManifestScalar {
    /// A YAML scalar that reads back as exactly `text`, a string, under both
    /// YAML 1.1 (what kubectl's parser follows) and YAML 1.2: plain when that
    /// is unambiguous, else double-quoted.
    package static func yaml(_ text: String) -> String {
        isPlainSafe(text) ? text : doubleQuoted(text)
    }

    /// A JSON string literal.
    package static func json(_ text: String) -> String {
        doubleQuoted(text)
    }

    /// Words that YAML 1.1 or 1.2 read as booleans or null when plain.
    private static let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]

    private static func isPlainSafe(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { return false }
        // A letter, '_' or '/' first: never a number, an indicator or a tag.
        guard isLetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: "/") else { return false }
        let allowed = bytes.allSatisfy { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "=")].contains(byte)
        }
        return allowed && !reserved.contains(text.lowercased())
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// JSON escaping, which YAML double-quoted scalars read the same way.
    /// Control characters, DEL, C1 controls, U+2028/2029 and U+FEFF are
    /// escaped so the output stays printable and byte-stable.
    private static func doubleQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            case let s where s.value < 0x20 || (0x7F...0x9F).contains(s.value)
                || s.value == 0x2028 || s.value == 0x2029 || s.value == 0xFEFF:
                let hex = String(s.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
