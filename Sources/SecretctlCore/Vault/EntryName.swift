/// Entry names follow Kubernetes Secret key rules: `[-._a-zA-Z0-9]+`, at most 253 characters.
package enum EntryName {
    package static let maximumLength = 253

    /// Why `name` cannot be a Secret key, or nil when it can.
    ///
    /// The name itself is never repeated: a rejected name is often a value pasted into the
    /// wrong place (a command line, a key in a file), and an error message ends up in
    /// terminal logs and CI output. Only its length and the rule it breaks are told.
    package static func problem(_ name: String) -> String? {
        guard let flaw = flaw(Array(name.utf8)) else { return nil }
        if name.isEmpty { return "an entry name cannot be empty" }
        return "a name of \(length(name)) is not a valid Kubernetes Secret key: a key \(flaw.rule)"
    }

    package static func isValid(_ name: String) -> Bool { flaw(Array(name.utf8)) == nil }

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

    /// Throws a usage error when `name`, given on the command line, is not a valid key.
    ///
    /// As in `problem`, the name is not repeated. A name with characters no key has, or one
    /// too long, is most likely a value typed where the name goes, so the hint says how values
    /// are given instead.
    package static func validate(_ name: String) throws(SecretctlError) {
        guard let flaw = flaw(Array(name.utf8)) else { return }
        if name.isEmpty { throw SecretctlError(.usage, "an entry name cannot be empty") }
        // A short name whose only flaw is spaces ("MY KEY") is a name, not a pasted value.
        let bytes = Array(name.utf8)
        if bytes.count <= 64, bytes.contains(0x20), bytes.allSatisfy({ $0 == 0x20 || isAllowed($0) }) {
            throw SecretctlError(.usage, "that is not a valid entry name (\(length(name)), with a space; a name \(flaw.rule))",
                hint: "Secret keys cannot hold spaces: join the words with '_' (as in MY_KEY) or '-'")
        }
        throw SecretctlError(.usage, "that is not a valid entry name (\(length(name)); a name \(flaw.rule))",
            hint: flaw.looksLikeValue ? valueHint : nil)
    }

    /// "1 character", "41 characters": how a rejected word is described instead of shown.
    package static func length(_ word: some StringProtocol) -> String {
        word.count == 1 ? "1 character" : "\(word.count) characters"
    }

    /// The hint for a value typed where a name goes.
    package static let valueHint = "values are never given on the command line: pipe them in, e.g. 'secretctl set NAME < file'"

    /// The rule a name breaks, told without the name.
    private struct Flaw {
        var rule: String
        /// Characters no key has, or too many of them: more likely a value than a mistyped name.
        var looksLikeValue: Bool
    }

    private static func flaw(_ bytes: [UInt8]) -> Flaw? {
        if bytes.isEmpty { return Flaw(rule: "cannot be empty", looksLikeValue: false) }
        if !bytes.allSatisfy(isAllowed) {
            return Flaw(rule: "uses only letters, digits, '-', '_' and '.'", looksLikeValue: true)
        }
        if bytes.count > maximumLength {
            return Flaw(rule: "has at most \(maximumLength)", looksLikeValue: true)
        }
        if isDotName(bytes) { return Flaw(rule: "cannot be '.' or '..' or start with '..'", looksLikeValue: false) }
        return nil
    }

    private static func isLetter(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
    }
    private static func isDigit(_ c: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) }
    private static func isAllowed(_ c: UInt8) -> Bool {
        isLetter(c) || isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
    }
}
