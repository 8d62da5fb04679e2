package import SecretctlCrypto

/// Checks on values that are about to be written as text (dotenv, JSON, YAML).
package enum SecretText {
    /// Whether the bytes are well-formed UTF-8 (no overlong forms, no surrogates).
    package static func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    package static func isUTF8(_ value: SecretValue) -> Bool { value.withUnsafeBytes { isUTF8($0) } }
    package static func isUTF8(_ value: SecureBytes) -> Bool { value.withUnsafeBytes { isUTF8($0) } }

    /// Whether `needle` occurs in the value (for warnings that name an entry, never show it).
    package static func contains(_ value: SecretValue, _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        return value.withUnsafeBytes { bytes in
            guard !pattern.isEmpty, bytes.count >= pattern.count else { return pattern.isEmpty }
            for start in 0...(bytes.count - pattern.count) {
                var match = true
                for offset in 0..<pattern.count where bytes[start + offset] != pattern[offset] {
                    match = false
                    break
                }
                if match { return true }
            }
            return false
        }
    }

    /// The error for a value that is not UTF-8 text.
    static func notText(_ name: String, format: String) -> SecretctlError {
        SecretctlError(.failure, "\(name) is not valid UTF-8 text, so it cannot be written as \(format); nothing was written",
            hint: "leave it out with --only, or read its exact bytes with 'secretctl get \(name)'")
    }
}
