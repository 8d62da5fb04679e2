package import SecretctlCrypto

/// Writes entries as a dotenv file that `DotenvParser` and python-dotenv both read back to
/// the same bytes: one `NAME="value"` line per entry, with `\` `"` LF CR and TAB escaped as
/// `\\` `\"` `\n` `\r` `\t` and every other byte as it is (so `$`, `#`, `'` and spaces stay
/// literal). Values must be UTF-8 text.
///
/// Two exceptions come from python-dotenv itself:
/// * it expands `${NAME}` in any value unless read with `interpolate=False`; no quoting
///   prevents that, so callers warn about such values (`needsInterpolationWarning`);
/// * its quoted-value pattern takes an escaped backslash right before the closing quote as an
///   escaped quote, so a value ending in `\` is written unquoted (`NAME=value\`) when it is
///   plain printable ASCII without ` #`, which both readers take literally. Other values
///   ending in `\` stay double-quoted, correct for `DotenvParser`, and callers warn
///   (`pythonDotenvMisreads`).
package enum DotenvWriter {
    package static func write(_ entries: [(name: String, value: SecretValue)]) throws(SecretctlError) -> SecureBytes {
        var total = 0
        for (name, value) in entries {
            guard EntryName.isValid(name) else {
                throw SecretctlError(.failure, "an entry name (\(EntryName.length(name))) cannot be written as a dotenv name: it is not a valid entry name")
            }
            guard SecretText.isUTF8(value) else { throw SecretText.notText(name, format: "a dotenv file") }
            total += name.utf8.count + value.withUnsafeBytes { bytes in
                isBare(bytes) ? 2 + bytes.count : 4 + bytes.reduce(0) { $0 + (escape($1) == nil ? 1 : 2) }
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
                value.withUnsafeBytes { bytes in
                    if isBare(bytes) {
                        for byte in bytes { put(byte) }
                        return
                    }
                    put(UInt8(ascii: "\""))
                    for byte in bytes {
                        if let escaped = escape(byte) {
                            put(UInt8(ascii: "\\"))
                            put(escaped)
                        } else {
                            put(byte)
                        }
                    }
                    put(UInt8(ascii: "\""))
                }
                put(UInt8(ascii: "\n"))
            }
        }
    }

    /// Whether python-dotenv (by default) or docker compose would expand part of the value.
    package static func needsInterpolationWarning(_ value: SecretValue) -> Bool {
        SecretText.contains(value, "${")
    }

    /// Whether python-dotenv would read the written value differently (see above).
    package static func pythonDotenvMisreads(_ value: SecretValue) -> Bool {
        value.withUnsafeBytes { $0.last == UInt8(ascii: "\\") && !isBare($0) }
    }

    /// A value ending in a backslash that both readers take literally without quotes:
    /// printable ASCII, not starting with a blank or a quote, without a blank before '#'.
    private static func isBare(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.last == UInt8(ascii: "\\"), let first = bytes.first,
            first != UInt8(ascii: " "), first != UInt8(ascii: "\""), first != UInt8(ascii: "'")
        else { return false }
        for index in bytes.indices {
            guard (0x20...0x7E).contains(bytes[index]) else { return false }
            if bytes[index] == UInt8(ascii: "#"), index > 0, bytes[index - 1] == UInt8(ascii: " ") { return false }
        }
        return true
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
