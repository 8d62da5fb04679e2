/// Entry names follow Kubernetes Secret key rules: `[-._a-zA-Z0-9]+`, at most 253 characters.
package enum EntryName {
    package static let maximumLength = 253

    /// Why `name` cannot be a Secret key, or nil when it can.
    package static func problem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return "an entry name cannot be empty" }
        if bytes.count > maximumLength { return "'\(name.prefix(40))...' is longer than \(maximumLength) characters" }
        if !bytes.allSatisfy(isAllowed) {
            return "'\(name)' is not a valid Kubernetes Secret key: use letters, digits, '-', '_' and '.'"
        }
        if isDotName(bytes) { return "'\(name)' is not a valid Kubernetes Secret key: it cannot be '.' or '..' or start with '..'" }
        return nil
    }

    package static func isValid(_ name: String) -> Bool { problem(name) == nil }

    package static func isValid<Bytes: Collection>(bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        !bytes.isEmpty && bytes.count <= maximumLength && bytes.allSatisfy(isAllowed) && !isDotName(bytes)
    }

    /// `.`, `..` and names starting with `..`, which apimachinery's `IsConfigMapKey` refuses.
    private static func isDotName<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        let dot = UInt8(ascii: ".")
        return bytes.elementsEqual([dot]) || bytes.starts(with: [dot, dot])
    }

    /// Whether `envFrom` will export the name: `[A-Za-z_][A-Za-z0-9_]*` (Kubernetes skips others).
    package static func isEnvironmentVariableName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// Throws a usage error when `name` is not a valid key.
    package static func validate(_ name: String) throws(SecretctlError) {
        if let problem = problem(name) { throw SecretctlError(.usage, problem) }
    }

    private static func isLetter(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
    }
    private static func isDigit(_ c: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) }
    private static func isAllowed(_ c: UInt8) -> Bool {
        isLetter(c) || isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
    }
}
