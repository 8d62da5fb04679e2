import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// A recipient-wrapped vault written by secretctl decrypts with `team_independent_decrypt.py`,
/// which follows only docs/vault-format.md ("Recipients") and Python's `cryptography`.
@Suite("Team: independent decryption of a recipient-wrapped vault (Python)")
struct TeamIndependentDecryptTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("team_independent_decrypt.py").path

    struct Output: Decodable {
        struct Entry: Decodable { let version: Int; let created: Int64; let value_hex: String }
        let recipient: String
        let entries: [String: Entry]
    }

    /// Runs the script; returns its exit status, stdout and stderr.
    static func run(vault: String, identity: String) throws -> (Int32, Data, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-B", script, vault, identity]  // -B: no __pycache__ in the source tree
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, String(decoding: stderr, as: UTF8.self))
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("both recipients decrypt every current value independently; a stranger cannot")
    func pythonDecryptsRecipientVault() throws {
        let fixture = try TeamUnlockTests.Fixture()
        let expected = try fixture.store(["SECRETCTL_KEY_FILE": fixture.keyPath]).open()
        for (identity, file) in [(fixture.alice, "alice"), (fixture.bob, "bob")] {
            let path = fixture.directory + "/\(file).identity"
            try fixture.writeIdentity(identity, to: path, mode: 0o600)
            let (status, stdout, stderr) = try Self.run(vault: fixture.vaultPath, identity: path)
            try #require(status == 0, "python3 with 'cryptography' must decrypt the vault: \(stderr)")
            let output = try JSONDecoder().decode(Output.self, from: stdout)
            #expect(output.recipient == identity.recipient.string, "Python's Bech32 agrees with Swift's")
            #expect(Set(output.entries.keys) == Set(expected.contents.names))
            for entry in expected.contents.sortedEntries {
                let decrypted = try #require(output.entries[entry.name])
                #expect(decrypted.version == Int(entry.current.number))
                #expect(decrypted.created == entry.current.created)
                #expect(decrypted.value_hex == entry.current.value.withUnsafeBytes { Self.hex($0) })
            }
        }
        let carolPath = fixture.directory + "/carol.identity"
        try fixture.writeIdentity(fixture.carol, to: carolPath, mode: 0o600)
        let (status, _, stderr) = try Self.run(vault: fixture.vaultPath, identity: carolPath)
        #expect(status == 2, "carol is not a recipient: \(stderr)")
    }
}
