package import SecretctlCrypto

/// Builds text that holds secret values (a rendered manifest) straight into one
/// wiping buffer: the plain parts are collected first, the values are
/// base64-encoded into the final buffer, so no value sits in a `String` or an
/// unwiped array on the way.
package struct ManifestText {
    private enum Part {
        case text(String)
        case base64(SecretValue)
        case bytes(SecureBytes)
    }

    private var parts: [Part] = []

    package init() {}

    package mutating func append(_ text: String) {
        parts.append(.text(text))
    }

    /// Appends bytes as they are (a document passed through).
    package mutating func append(_ bytes: SecureBytes) {
        parts.append(.bytes(bytes))
    }

    /// Appends the standard base64 of `value`, without line breaks.
    package mutating func appendBase64(_ value: SecretValue) {
        parts.append(.base64(value))
    }

    package var byteCount: Int {
        parts.reduce(0) { total, part in
            switch part {
            case let .text(text): total + text.utf8.count
            case let .base64(value): total + Base64.encodedCount(value.count)
            case let .bytes(bytes): total + bytes.count
            }
        }
    }

    /// The text in a buffer of its own.
    package func build() -> SecureBytes {
        SecureBytes(count: byteCount) { output in
            var offset = 0
            for part in parts {
                switch part {
                case let .text(text):
                    var text = text
                    text.withUTF8 { utf8 in
                        UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + utf8.count])
                            .copyMemory(from: UnsafeRawBufferPointer(utf8))
                        offset += utf8.count
                    }
                case let .base64(value):
                    let count = Base64.encodedCount(value.count)
                    value.withUnsafeBytes { input in
                        Base64.encode(input, into: UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + count]))
                    }
                    offset += count
                case let .bytes(bytes):
                    bytes.withUnsafeBytes { input in
                        UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + input.count]).copyMemory(from: input)
                        offset += input.count
                    }
                }
            }
        }
    }
}
