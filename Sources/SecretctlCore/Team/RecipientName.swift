/// Names of recipients in a vault header: `[-._@a-zA-Z0-9]`, 1 to 64 characters.
///
/// They are public (the header is clear text), so an email address or a
/// handle is fine; they only tell people which line is whose.
package enum RecipientName {
    package static let maximumLength = 64

    /// Why `name` cannot name a recipient, or nil.
    ///
    /// The name is not repeated, only its length: a rejected name may be a value pasted into
    /// the name's place on the command line.
    package static func problem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumLength else {
            return "a recipient name has 1 to \(maximumLength) characters, not \(bytes.count)"
        }
        guard bytes.allSatisfy(isAllowed) else {
            return "that is not a valid recipient name (\(EntryName.length(name))): use letters, digits, '.', '_', '-' and '@'"
        }
        return nil
    }

    package static func isValid(_ name: String) -> Bool { problem(name) == nil }

    package static func validate(_ name: String) throws(SecretctlError) {
        if let problem = problem(name) { throw SecretctlError(.usage, problem) }
    }

    private static func isAllowed(_ c: UInt8) -> Bool {
        (0x61...0x7A).contains(c) || (0x41...0x5A).contains(c) || (0x30...0x39).contains(c)
            || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "@")
    }
}
