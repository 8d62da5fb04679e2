import SecretctlCore
import SecretctlCrypto
import Testing

private let vaultID = "00112233445566778899aabbccddeeff"
private let b32 = Base64.encode([UInt8](repeating: 7, count: 32))
private let b32b = Base64.encode([UInt8](repeating: 8, count: 32))
private let b12 = Base64.encode([UInt8](repeating: 1, count: 12))
private let b48 = Base64.encode([UInt8](repeating: 2, count: 48))

/// The `recipient` unlocker line of docs/vault-format.md: exact serialization and strict parsing.
@Suite("Team: recipient lines in the vault format")
struct TeamFormatTests {

    /// A structurally valid file with `unlockerLines` (the payload is not decrypted by `parse`).
    static func file(_ unlockerLines: [String]) -> [UInt8] {
        let text = "secretctl-vault/v1\nid \(vaultID)\n" + unlockerLines.map { $0 + "\n" }.joined()
            + "--- \(b12)\n\(Base64.encode([UInt8](repeating: 3, count: 40)))\n"
        return Array(text.utf8)
    }

    static let keyLine = "key 0011223344556677 \(b12) \(b48)"

    @Test func recipientLineParsesAndReserializesExactly() throws {
        let line = "recipient alice@example.com \(b32) \(b32b) \(b12) \(b48)"
        let bytes = Self.file([Self.keyLine, line])
        let parsed = try VaultFile.parse(bytes)
        #expect(parsed.bytes == bytes)
        guard case let .recipient(name, recipientKey, ephemeralKey, nonce, wrapped) = parsed.header.unlockers[1] else {
            Issue.record("the second unlocker is not a recipient")
            return
        }
        #expect(name == "alice@example.com")
        #expect(recipientKey == [UInt8](repeating: 7, count: 32) && ephemeralKey == [UInt8](repeating: 8, count: 32))
        #expect(nonce.count == 12 && wrapped.count == 48)
    }

    @Test("a vault whose only unlockers are recipients is valid")
    func recipientsOnly() throws {
        let bytes = Self.file(["recipient a \(b32) \(b32b) \(b12) \(b48)", "recipient b \(b32b) \(b32) \(b12) \(b48)"])
        #expect(try VaultFile.parse(bytes).header.unlockers.allSatisfy(\.isRecipient))
    }

    /// Each malformed line, beside a valid key line, makes the file damaged.
    @Test("malformed recipient lines are damaged", arguments: [
        "recipient alice \(b32) \(b32b) \(b12)",  // 4 fields
        "recipient alice \(b32) \(b32b) \(b12) \(b48) extra",
        "recipient \(b32) \(b32b) \(b12) \(b48)",  // no name
        "recipient al/ice \(b32) \(b32b) \(b12) \(b48)",  // invalid name
        "recipient \(String(repeating: "a", count: 65)) \(b32) \(b32b) \(b12) \(b48)",  // name too long
        "recipient alice \(Base64.encode([UInt8](repeating: 7, count: 31))) \(b32b) \(b12) \(b48)",  // short key
        "recipient alice \(b32) \(Base64.encode([UInt8](repeating: 8, count: 33))) \(b12) \(b48)",  // long ephemeral
        "recipient alice \(b32) \(b32b) \(Base64.encode([UInt8](repeating: 1, count: 16))) \(b48)",  // nonce length
        "recipient alice \(b32) \(b32b) \(b12) \(Base64.encode([UInt8](repeating: 2, count: 32)))",  // wrapped length
        "recipient alice \(b32.dropLast(2))d= \(b32b) \(b12) \(b48)",  // non-canonical base64 (unused bits set)
        "recipient  alice \(b32) \(b32b) \(b12) \(b48)",  // double space
        "recipients alice \(b32) \(b32b) \(b12) \(b48)",  // unknown type, still refused
        "Recipient alice \(b32) \(b32b) \(b12) \(b48)",
    ])
    func malformedLineIsDamaged(line: String) {
        #expect {
            try VaultFile.parse(Self.file([Self.keyLine, line]))
        } throws: { error in
            guard case .damaged = error as? VaultFormatError else { return false }
            return true
        }
    }

    @Test("duplicate recipient names or keys are damaged", arguments: [
        ["recipient alice \(b32) \(b32b) \(b12) \(b48)", "recipient alice \(b32b) \(b32) \(b12) \(b48)"],
        ["recipient alice \(b32) \(b32b) \(b12) \(b48)", "recipient bob \(b32) \(b32) \(b12) \(b48)"],
    ])
    func duplicatesAreDamaged(lines: [String]) {
        #expect(throws: VaultFormatError.self) { try VaultFile.parse(Self.file(lines)) }
    }

    @Test("recipient lines count toward the 16-unlocker limit")
    func limitCountsRecipients() throws {
        let recipients = (0..<16).map { index in
            "recipient r\(index) \(Base64.encode([UInt8](repeating: UInt8(index), count: 32))) \(b32b) \(b12) \(b48)"
        }
        #expect(throws: VaultFormatError.damaged("the vault has more than 16 unlockers")) { try VaultFile.parse(Self.file([Self.keyLine] + recipients)) }
        #expect(try VaultFile.parse(Self.file(Array(recipients))).header.unlockers.count == 16)
    }
}
