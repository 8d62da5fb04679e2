package import SecretctlCrypto

/// Writes entries as a dotenv file that `DotenvParser` and python-dotenv both read back to
/// the same bytes: one `NAME="value"` line per entry, with `\` `"` LF CR and TAB escaped as
/// `\\` `\"` `\n` `\r` `\t` and every other byte as it is (so `$`, `#`, `'` and spaces stay
/// literal). Values must be UTF-8 text.
///
/// python-dotenv expands `${NAME}` in any value unless read with `interpolate=False`; no
/// quoting prevents that, so callers warn about such values (`needsInterpolationWarning`).
package enum DotenvWriter {
    package static func write(_ entries: [(name: String, value: SecretValue)]) throws(SecretctlError) -> SecureBytes {
        var total = 0
        for (name, value) in entries {
            guard EntryName.isValid(name) else {
                throw SecretctlError(.failure, "'\(name)' cannot be written as a dotenv name")
            }
            guard SecretText.isUTF8(value) else { throw SecretText.notText(name, format: "a dotenv file") }
            total += name.utf8.count + 4 + value.withUnsafeBytes { bytes in
                bytes.reduce(0) { $0 + (escape($1) == nil ? 1 : 2) }
            }
        }
        return SecureBytes(count: total) { output in
            var offset = 0
            func put(_ byte: UInt8) {
                output[offset] = byte
                offset += 1
            }
            for (name, value) in entries {
                for byte in name.utf8 { put(byte) }
                put(UInt8(ascii: "="))
                put(UInt8(ascii: "\""))
                value.withUnsafeBytes { bytes in
                    for byte in bytes {
                        if let escaped = escape(byte) {
                            put(UInt8(ascii: "\\"))
                            put(escaped)
                        } else {
                            put(byte)
                        }
                    }
                }
                put(UInt8(ascii: "\""))
                put(UInt8(ascii: "\n"))
            }
        }
    }

    /// Whether python-dotenv (by default) or docker compose would expand part of the value.
    package static func needsInterpolationWarning(_ value: SecretValue) -> Bool {
        SecretText.contains(value, "${")
    }

    private static func escape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        case UInt8(ascii: "\""): UInt8(ascii: "\"")
        case UInt8(ascii: "\n"): UInt8(ascii: "n")
        case UInt8(ascii: "\r"): UInt8(ascii: "r")
        case UInt8(ascii: "\t"): UInt8(ascii: "t")
        default: nil
        }
    }
}
