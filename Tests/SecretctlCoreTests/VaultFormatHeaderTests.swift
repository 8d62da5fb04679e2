import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

@Suite("Vault format: header, unlockers and envelope")
struct VaultFormatHeaderTests {
    struct Parameters: Sendable, CustomStringConvertible {
        let log2N: Int
        let r: Int
        let p: Int
        let accepted: Bool
        var description: String { "log2N \(log2N) r \(r) p \(p)" }
    }

    @Test(arguments: [
        Parameters(log2N: 10, r: 1, p: 1, accepted: true),
        Parameters(log2N: 18, r: 8, p: 1, accepted: true),
        Parameters(log2N: 20, r: 8, p: 1, accepted: true),  // exactly the 2^23 cap, 1 GiB
        Parameters(log2N: 18, r: 32, p: 1, accepted: true),  // exactly the cap
        Parameters(log2N: 15, r: 16, p: 16, accepted: true),  // exactly the cap
        Parameters(log2N: 10, r: 32, p: 16, accepted: true),
        // What a hostile header asked for: 22 8 1 ran 34 s at 4.2 GB.
        Parameters(log2N: 22, r: 8, p: 1, accepted: false),
        Parameters(log2N: 21, r: 16, p: 16, accepted: false),
        Parameters(log2N: 21, r: 1, p: 1, accepted: false),  // cheap, but log2 N over 20
        Parameters(log2N: 20, r: 8, p: 2, accepted: false),  // 2^24
        Parameters(log2N: 19, r: 32, p: 1, accepted: false),  // 2^24
        Parameters(log2N: 16, r: 16, p: 16, accepted: false),  // 2^24
        Parameters(log2N: 22, r: 9, p: 1, accepted: false),
        Parameters(log2N: 21, r: 17, p: 1, accepted: false),
        Parameters(log2N: 9, r: 8, p: 1, accepted: false),
        Parameters(log2N: 23, r: 1, p: 1, accepted: false),
        Parameters(log2N: 63, r: 1, p: 1, accepted: false),
        Parameters(log2N: -1, r: 1, p: 1, accepted: false),
        Parameters(log2N: 10, r: 0, p: 1, accepted: false),
        Parameters(log2N: 10, r: 33, p: 1, accepted: false),
        Parameters(log2N: 10, r: 1, p: 0, accepted: false),
        Parameters(log2N: 10, r: 1, p: 17, accepted: false),
    ])
    func scryptParameterRanges(_ parameters: Parameters) {
        let scrypt = ScryptParameters(log2N: parameters.log2N, r: parameters.r, p: parameters.p)
        #expect((scrypt.problem == nil) == parameters.accepted, "\(scrypt.problem ?? "accepted")")
    }

    @Test func defaultWorkFactorIsAgesAndInRange() {
        #expect(ScryptParameters.default == ScryptParameters(log2N: 18, r: 8, p: 1))
        #expect(ScryptParameters.default.problem == nil)
    }

    /// Out-of-range parameters are refused before scrypt runs: log2 N 40 would need 128 TiB.
    @Test func deriveRefusesBeforeRunning() {
        let error = #expect(throws: CryptoError.self) {
            try VaultCrypto.derive(passphrase: SecureBytes(copying: [1]), parameters: ScryptParameters(log2N: 40, r: 8, p: 1), salt: [UInt8](repeating: 0, count: 16))
        }
        guard case .invalidParameters = error else {
            Issue.record("expected invalidParameters, got \(String(describing: error))")
            return
        }
    }

    @Test func unwrapReportsOutOfRangeParametersAsDamaged() throws {
        // A header built in memory, bypassing the parser's range check.
        let header = VaultHeader(vaultID: String(repeating: "a", count: 32), unlockers: [
            .passphrase(ScryptParameters(log2N: 30, r: 8, p: 1), salt: [UInt8](repeating: 0, count: 16), nonce: [UInt8](repeating: 0, count: 12), wrapped: [UInt8](repeating: 0, count: 48))
        ])
        let error = #expect(throws: VaultFormatError.self) { try VaultCrypto.unwrap(header, with: .passphrase(SecureBytes(copying: [1]))) }
        guard case .damaged = error else {
            Issue.record("expected damaged, got \(String(describing: error))")
            return
        }
    }

    @Test func headerBytesAreTheSpecifiedText() {
        let header = VaultHeader(vaultID: "00112233445566778899aabbccddeeff", unlockers: [
            .key(keyID: "0123456789abcdef", nonce: [UInt8](repeating: 0, count: 12), wrapped: [UInt8](repeating: 0xFF, count: 48)),
            .passphrase(ScryptParameters(log2N: 18, r: 8, p: 1), salt: [UInt8](repeating: 1, count: 16), nonce: [UInt8](repeating: 2, count: 12), wrapped: [UInt8](repeating: 3, count: 48)),
        ])
        let expected = """
            secretctl-vault/v1
            id 00112233445566778899aabbccddeeff
            key 0123456789abcdef AAAAAAAAAAAAAAAA \(String(repeating: "/", count: 64))
            passphrase 18 8 1 AQEBAQEBAQEBAQEBAQEBAQ== AgICAgICAgICAgIC \(String(repeating: "AwMD", count: 16))

            """
        #expect(String(decoding: header.bytes, as: UTF8.self) == expected)
        #expect(String(decoding: header.wrapAssociatedData, as: UTF8.self) == "secretctl-vault/v1 wrap 00112233445566778899aabbccddeeff")
    }

    static func freshVault(_ contents: VaultContents = VaultContents()) throws -> (VaultFile, SecureBytes, SecureBytes, SecureBytes) {
        let vaultID = try VaultCrypto.newVaultID()
        let dataKey = try SecureRandom.secureBytes(32)
        let first = try SecureRandom.secureBytes(32)
        let second = try SecureRandom.secureBytes(32)
        let header = VaultHeader(vaultID: vaultID, unlockers: [
            try VaultCrypto.keyUnlocker(dataKey: dataKey, key: first, keyID: try VaultCrypto.newKeyID(), vaultID: vaultID),
            try VaultCrypto.keyUnlocker(dataKey: dataKey, key: second, keyID: try VaultCrypto.newKeyID(), vaultID: vaultID),
        ])
        return (try VaultCrypto.seal(contents, dataKey: dataKey, header: header), dataKey, first, second)
    }

    @Test func writtenVaultParsesToItself() throws {
        let (file, _, _, _) = try Self.freshVault()
        #expect(file.header.vaultID.count == 32)
        #expect(try VaultFile.parse(file.bytes) == file)
        #expect(try VaultFile.parse(file.bytes).bytes == file.bytes)
    }

    @Test func everyKeyUnlockerOpensTheVault() throws {
        let (file, dataKey, first, second) = try Self.freshVault()
        let parsed = try VaultFile.parse(file.bytes)
        for key in [first, second] {
            let unwrapped = try #require(try VaultCrypto.unwrap(parsed.header, with: .key(key)), "each unlocker's key unwraps")
            #expect(unwrapped.constantTimeEquals(dataKey))
        }
        #expect(try VaultCrypto.unwrap(parsed.header, with: .key(try SecureRandom.secureBytes(32))) == nil)
        #expect(try VaultCrypto.unwrap(parsed.header, with: .key(SecureBytes(copying: [1, 2, 3]))) == nil, "a short key is just a wrong key")
        #expect(try VaultCrypto.unwrap(parsed.header, with: .passphrase(SecureBytes(copying: Array("pw".utf8)))) == nil)
    }

    @Test func everySaveDrawsANewNonce() throws {
        let (file, dataKey, _, _) = try Self.freshVault()
        let again = try VaultCrypto.seal(VaultContents(), dataKey: dataKey, header: file.header)
        #expect(again.payloadNonce != file.payloadNonce)
        #expect(again.sealedPayload != file.sealedPayload)
        #expect(try VaultCrypto.newKeyID() != VaultCrypto.newKeyID())
        #expect(try VaultCrypto.newVaultID() != VaultCrypto.newVaultID())
    }

    /// The KEK is scrypt of the passphrase's bytes as given: a different Unicode form is another passphrase.
    @Test func passphraseBytesAreNotNormalized() throws {
        let vaultID = try VaultCrypto.newVaultID()
        let dataKey = try SecureRandom.secureBytes(32)
        let composed = "caf\u{E9}"  // é as one code point
        let decomposed = "cafe\u{301}"  // e + combining acute
        let unlocker = try VaultCrypto.passphraseUnlocker(
            dataKey: dataKey, passphrase: SecureBytes(copying: Array(composed.utf8)), parameters: ScryptParameters(log2N: 10, r: 8, p: 1), vaultID: vaultID)
        let header = VaultHeader(vaultID: vaultID, unlockers: [unlocker])
        #expect(try VaultCrypto.unwrap(header, with: .passphrase(SecureBytes(copying: Array(composed.utf8)))) != nil)
        #expect(try VaultCrypto.unwrap(header, with: .passphrase(SecureBytes(copying: Array(decomposed.utf8)))) == nil)
    }

    @Test func openReportsTamperingAsDamaged() throws {
        let (file, dataKey, _, _) = try Self.freshVault()
        var tampered = file
        tampered.sealedPayload[0] ^= 1
        #expect(throws: VaultFormatError.self) { try VaultCrypto.open(tampered, dataKey: dataKey) }
        let error = #expect(throws: VaultFormatError.self) { try VaultCrypto.open(file, dataKey: try SecureRandom.secureBytes(32)) }
        guard case .damaged = error else {
            Issue.record("a payload that fails its tag is damaged, got \(String(describing: error))")
            return
        }
    }
}
