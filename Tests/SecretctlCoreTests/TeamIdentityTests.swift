import SecretctlCore
import SecretctlCrypto
import Testing

/// Recipient strings and identities: Bech32 (BIP 173) with a checksum, strict parsing.
@Suite("Team: identities and recipient strings")
struct TeamIdentityTests {
    static func text(_ string: String) -> SecureBytes { SecureBytes(copying: Array(string.utf8)) }

    // MARK: - Bech32

    /// BIP 173's valid strings that carry no data or whole bytes.
    @Test("BIP 173 valid strings", arguments: [("a12uel5l", "a", 0), ("A12UEL5L", "a", 0), ("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdef", 20)])
    func bip173Valid(string: String, hrp: String, count: Int) throws {
        let data = try #require(Bech32.decode(hrp: hrp, text: Self.text(string)), "a BIP 173 valid string decodes")
        #expect(data.count == count)
    }

    /// BIP 173's invalid strings (mixed case, empty HRP, bad checksum, bad character).
    @Test("BIP 173 invalid strings", arguments: [("a12UEL5L", "a"), ("1nwldj5", ""), ("a12uel5m", "a"), ("a1b2uel5l", "a"), ("A1G7SGD8", "a"), ("li1dgmt3", "li")])
    func bip173Invalid(string: String, hrp: String) {
        #expect(Bech32.decode(hrp: hrp, text: Self.text(string)) == nil)
    }

    @Test func encodeRoundTrips() throws {
        let data = SecureBytes(copying: Array(0..<32))
        let encoded = Bech32.encode(hrp: "secretctl", data: data)
        let string = encoded.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        #expect(string.hasPrefix("secretctl1") && string.count == 10 + 58)
        #expect(try #require(Bech32.decode(hrp: "secretctl", text: encoded)).constantTimeEquals(data))
        #expect(Bech32.decode(hrp: "secretctl-secret-key-", text: encoded) == nil, "another prefix is refused")
    }

    // MARK: - Recipients

    @Test func recipientStringRoundTrips() throws {
        let identity = try Identity.generate()
        let parsed = try Recipient(parsing: identity.recipient.string)
        #expect(parsed == identity.recipient)
        #expect(try Recipient(parsing: identity.recipient.string.uppercased()) == identity.recipient, "all-uppercase is the same string")
    }

    /// Every single-character typo is caught by the checksum.
    @Test("a mistyped recipient is refused", arguments: [10, 20, 40, 67])
    func typoIsRefused(position: Int) throws {
        let good = try Identity.generate().recipient.string
        var characters = Array(good)
        characters[position] = characters[position] == "q" ? "p" : "q"
        let error = try #require(throws: SecretctlError.self) { try Recipient(parsing: String(characters)) }
        #expect(error.code == .usage)
    }

    @Test("truncated, empty, or an identity given as a recipient are refused")
    func otherStringsAreRefused() throws {
        let identity = try Identity.generate()
        let secret = identity.secretString.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        for bad in [String(identity.recipient.string.dropLast()), "", "secretctl1", secret] {
            let error = try #require(throws: SecretctlError.self) { try Recipient(parsing: bad) }
            #expect(!error.message.contains(secret.dropFirst(22).prefix(30)), "the secret is never echoed")
        }
    }

    // MARK: - Identity text

    @Test func identityFileTextParsesBack() throws {
        let identity = try Identity.generate()
        let file = identity.fileText(comments: ["created in a test"])
        let parsed = try Identity(parsing: file, source: "test")
        #expect(parsed.privateKey.constantTimeEquals(identity.privateKey))
        #expect(parsed.recipient == identity.recipient)
        let text = file.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        #expect(text.hasPrefix("# created in a test\n# recipient: \(identity.recipient.string)\nSECRETCTL-SECRET-KEY-1"))
        #expect(text.hasSuffix("\n") && text.split(separator: "\n").count == 3)
    }

    @Test("the key line alone, with spaces, CRLF and blank lines, also parses")
    func lenientLayout() throws {
        let identity = try Identity.generate()
        let key = identity.secretString.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        for layout in [key, "  \(key)  ", "\r\n# note\r\n\r\n\(key)\r\n", key.lowercased()] {
            #expect(try Identity(parsing: Self.text(layout), source: "test").recipient == identity.recipient)
        }
    }

    @Test("no key line, two key lines, or a bad checksum are refused without echoing the text")
    func badIdentitiesAreRefused() throws {
        let a = try Identity.generate().secretString.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        let b = try Identity.generate().secretString.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        var typo = Array(a)
        typo[30] = typo[30] == "Q" ? "P" : "Q"
        for bad in ["", "# only a comment\n", "\(a)\n\(b)\n", String(typo), "AGE-SECRET-KEY-1QQQQ"] {
            let error = try #require(throws: SecretctlError.self) { try Identity(parsing: Self.text(bad), source: "SECRETCTL_IDENTITY") }
            #expect(error.code == .noKey)
            #expect(error.message.hasPrefix("SECRETCTL_IDENTITY "))
            #expect(!error.message.contains(a.dropFirst(22).prefix(20)) && !error.message.contains(b.dropFirst(22).prefix(20)))
        }
    }
}
