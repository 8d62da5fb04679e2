import SecretctlCore
import SecretctlCrypto
import Testing

/// Any one-byte change anywhere in a vault written by secretctl is refused: never opened,
/// never mistaken for a valid vault.
@Suite("Vault format: every byte is protected")
struct VaultFormatTamperTests {
    static let key: [UInt8] = (0..<32).map { UInt8($0) }
    static let otherKey: [UInt8] = (0..<32).map { UInt8(200 - $0) }

    /// A deterministic vault (fixed keys and nonces), so every test case sees the same bytes.
    static func sample() throws -> [UInt8] {
        let dataKey = SecureBytes(copying: (0..<32).map { UInt8(100 + $0) })
        let vaultID = "00112233445566778899aabbccddeeff"
        let wrapAAD = VaultHeader(vaultID: vaultID, unlockers: []).wrapAssociatedData
        let unlockers: [Unlocker] = try [(key, "0123456789abcdef", UInt8(1)), (otherKey, "fedcba9876543210", UInt8(2))].map { material, keyID, seed in
            let nonce = [UInt8](repeating: seed, count: 12)
            return .key(keyID: keyID, nonce: nonce, wrapped: try AESGCM.seal(dataKey, key: SecureBytes(copying: material), nonce: nonce, authenticating: wrapAAD))
        }
        let header = VaultHeader(vaultID: vaultID, unlockers: unlockers)
        let contents = VaultContents(entries: [
            Entry(name: "A", recipe: nil, versions: [EntryVersion(number: 1, created: 1, value: SecretValue(SecureBytes(copying: Array("one".utf8))))])
        ])
        let nonce = [UInt8](repeating: 9, count: 12)
        let sealed = try AESGCM.seal(PayloadCodec.encode(contents), key: dataKey, nonce: nonce, authenticating: header.bytes)
        return VaultFile(header: header, payloadNonce: nonce, sealedPayload: sealed).bytes
    }

    @Test func sampleOpens() throws {
        let (outcome, _, _, contents) = FormatOutcome.read(try Self.sample(), credential: .key(Self.key))
        #expect(outcome == .ok)
        #expect(contents?["A"]?.current.value.equals(SecretValue(SecureBytes(copying: Array("one".utf8)))) == true)
        #expect(try Self.sample().count == 347, "the argument range below covers every byte")
    }

    @Test(arguments: 0..<347)
    func changedByteIsRefused(_ index: Int) throws {
        var bytes = try Self.sample()
        bytes[index] ^= 0x01
        let (outcome, _, _, _) = FormatOutcome.read(bytes, credential: .key(Self.key))
        switch outcome {
        case .damaged, .wrongKey, .unsupported: break
        case .ok, .unexpected: Issue.record("byte \(index) changed: \(outcome)")
        }
    }

    @Test(arguments: 0..<347)
    func removedByteIsRefused(_ index: Int) throws {
        var bytes = try Self.sample()
        bytes.remove(at: index)
        let (outcome, _, _, _) = FormatOutcome.read(bytes, credential: .key(Self.key))
        switch outcome {
        case .damaged, .wrongKey, .unsupported: break
        case .ok, .unexpected: Issue.record("byte \(index) removed: \(outcome)")
        }
    }
}
