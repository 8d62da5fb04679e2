import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// A vault written by secretctl decrypts with `independent_decrypt.py`, which uses only
/// `docs/vault-format.md` and Python's `cryptography`; and the committed format vectors
/// are exactly what their generator writes.
@Suite("Independent decryption (Python)", .serialized)
struct IndependentDecryptTests {
    static let passphrase = "correct horse battery staple, ünïcödé"

    /// A throwaway folder with a key file and a vault written through `VaultStore`.
    struct Fixture {
        let directory: String
        let vaultPath: String
        let keyPath: String
        let key: SecureBytes
        let identity: Identity
        let store: VaultStore

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("secretctl-independent-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory + "/secrets", withIntermediateDirectories: true)
            vaultPath = directory + "/secrets/dev.vault"
            keyPath = directory + "/dev.key"
            key = try SecureRandom.secureBytes(32)
            identity = try Identity.generate()
            let keyText = KeyFile.encode(key).withUnsafeBytes { Data($0) }
            #expect(FileManager.default.createFile(atPath: keyPath, contents: keyText, attributes: [.posixPermissions: 0o600]))
            let environment = ProcessEnvironment(
                variables: ["SECRETCTL_KEY_FILE": keyPath, "XDG_CONFIG_HOME": directory + "/config", "SECRETCTL_LOCK_TIMEOUT": "5"],
                workingDirectory: directory)
            store = VaultStore(path: vaultPath, environment: environment, prompter: NoPrompter())
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    static func value(_ text: String) -> SecretValue { SecretValue(SecureBytes(copying: Array(text.utf8))) }
    static func value(_ bytes: [UInt8]) -> SecretValue { SecretValue(SecureBytes(copying: bytes)) }

    /// Key file, passphrase (scrypt log2 N 10) and recipient unlockers; text, binary, empty and
    /// generated values; history from several saves, a rotation and a rollback.
    static func writeVault(_ fixture: Fixture) throws {
        let vaultID = try VaultCrypto.newVaultID()
        let dataKey = try SecureRandom.secureBytes(32)
        let header = VaultHeader(vaultID: vaultID, unlockers: [
            try VaultCrypto.keyUnlocker(dataKey: dataKey, key: fixture.key, keyID: try VaultCrypto.newKeyID(), vaultID: vaultID),
            try VaultCrypto.passphraseUnlocker(
                dataKey: dataKey, passphrase: SecureBytes(copying: Array(passphrase.utf8)),
                parameters: ScryptParameters(log2N: 10, r: 8, p: 1), vaultID: vaultID),
            try VaultCrypto.recipientUnlocker(dataKey: dataKey, recipient: fixture.identity.recipient, name: "ci-bot", vaultID: vaultID),
        ])
        try fixture.store.create(header: header, dataKey: dataKey)

        let t0: Int64 = 1_750_000_000
        try fixture.store.update { (vault: inout OpenedVault) throws(SecretctlError) in
            VaultEditor.set(&vault.contents, name: "DATABASE_URL", value: value("postgres://todo:first@db/todo"), recipe: nil, keepRecipe: false, now: t0)
            VaultEditor.set(&vault.contents, name: "tls.key", value: value(Array(0...255) + [0, 0x0A, 0x0D, 0xFF]), recipe: nil, keepRecipe: false, now: t0)
            VaultEditor.set(&vault.contents, name: "EMPTY", value: value([]), recipe: nil, keepRecipe: false, now: -5)
            VaultEditor.set(
                &vault.contents, name: "BETTER_AUTH_SECRET", value: SecretValue(try SecretGenerator.generate(Recipe(bytes: 32, encoding: .base64))),
                recipe: Recipe(bytes: 32, encoding: .base64), keepRecipe: false, now: t0)
            VaultEditor.set(
                &vault.contents, name: "API-TOKEN_url", value: SecretValue(try SecretGenerator.generate(Recipe(bytes: 24, encoding: .base64url))),
                recipe: Recipe(bytes: 24, encoding: .base64url), keepRecipe: false, now: t0)
        }
        for step in 1...7 {
            try fixture.store.update { (vault: inout OpenedVault) throws(SecretctlError) in
                VaultEditor.set(&vault.contents, name: "DATABASE_URL", value: value("postgres://todo:v\(step + 1)@db/todo"), recipe: nil, keepRecipe: false, now: t0 + Int64(step))
                _ = try VaultEditor.rotate(&vault.contents, name: "BETTER_AUTH_SECRET", now: t0 + Int64(step), vaultPath: fixture.vaultPath)
            }
        }
        try fixture.store.update { (vault: inout OpenedVault) throws(SecretctlError) in
            _ = try VaultEditor.rollback(&vault.contents, name: "DATABASE_URL", to: nil, now: t0 + 100, vaultPath: fixture.vaultPath)
        }
    }

    /// What secretctl itself reads from the vault, in the independent reader's JSON shape.
    static func expected(_ vault: OpenedVault) -> [FormatDecrypted.Entry] {
        vault.contents.sortedEntries.map { entry in
            FormatDecrypted.Entry(
                name: entry.name, history_limit: entry.historyLimit,
                recipe: entry.recipe.map { FormatDecrypted.Recipe(bytes: $0.bytes, encoding: $0.encoding.name) },
                versions: entry.versions.map { version in
                    FormatDecrypted.Version(
                        version: version.number, created: version.created,
                        value: version.value.withUnsafeBytes { Data($0).base64EncodedString() })
                })
        }
    }

    static func decrypt(_ fixture: Fixture, credential: [String: String]) throws -> FormatDecrypted {
        let result = try FormatPython.run([FormatPython.independentDecrypt.path, fixture.vaultPath], environment: credential)
        try #require(result.status == 0, "independent_decrypt.py failed (\(result.status)): \(result.stderr)")
        return try JSONDecoder().decode(FormatDecrypted.self, from: result.stdout)
    }

    // MARK: - Tests

    @Test func pythonWithCryptographyIsAvailable() {
        if let reason = FormatPython.unavailableReason() { Issue.record(Comment(rawValue: reason)) }
    }

    @Test(arguments: ["key file", "passphrase", "identity"])
    func secretctlVaultDecryptsIndependently(_ unlocker: String) throws {
        if let reason = FormatPython.unavailableReason() {
            Issue.record(Comment(rawValue: reason))
            return
        }
        let fixture = try Fixture()
        defer { fixture.remove() }
        try Self.writeVault(fixture)
        let vault = try fixture.store.open(allowPrompt: false)
        let expected = Self.expected(vault)

        let credential =
            switch unlocker {
            case "key file": ["SECRETCTL_KEY_FILE": fixture.keyPath]
            case "passphrase": ["SECRETCTL_PASSPHRASE": Self.passphrase]
            default: ["SECRETCTL_IDENTITY_KEY": fixture.identity.privateKey.withUnsafeBytes { Data($0).base64EncodedString() }]
            }
        let decrypted = try Self.decrypt(fixture, credential: credential)
        #expect(decrypted.vault_id == vault.vaultID)
        #expect(decrypted.unlockers.count == 3)
        #expect(decrypted.unlockers.dropFirst() == ["passphrase 10 8 1", "recipient ci-bot"])
        #expect(decrypted.entries == expected)

        // The fixture really exercises what it claims: history, binary, empty and generated values.
        #expect(expected.map(\.name) == ["API-TOKEN_url", "BETTER_AUTH_SECRET", "DATABASE_URL", "EMPTY", "tls.key"])
        // The rollback wrote v7's value as v9; with the history full, v7 (its older copy) made room, not v3.
        #expect(expected.first { $0.name == "DATABASE_URL" }?.versions.map(\.version) == [9, 8, 6, 5, 4, 3])
        #expect(expected.first { $0.name == "BETTER_AUTH_SECRET" }?.versions.count == 6)
        #expect(expected.first { $0.name == "EMPTY" }?.versions.first?.value == "")
    }

    @Test func independentReaderRefusesTamperingAndWrongKeys() throws {
        if let reason = FormatPython.unavailableReason() {
            Issue.record(Comment(rawValue: reason))
            return
        }
        let fixture = try Fixture()
        defer { fixture.remove() }
        try Self.writeVault(fixture)

        let wrongKey = try SecureRandom.bytes(32)
        let wrong = try FormatPython.run(
            [FormatPython.independentDecrypt.path, fixture.vaultPath], environment: ["SECRETCTL_KEY": Data(wrongKey).base64EncodedString()])
        #expect(wrong.status == 5, "wrong key: \(wrong.stderr)")
        #expect(wrong.stdout.isEmpty)

        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.vaultPath)))
        // Flip a bit in the middle of the payload's base64 without leaving the alphabet ('A' <-> 'B', ...).
        let index = bytes.count - 10
        bytes[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.vaultPath))
        let tampered = try FormatPython.run(
            [FormatPython.independentDecrypt.path, fixture.vaultPath], environment: ["SECRETCTL_KEY_FILE": fixture.keyPath])
        #expect(tampered.status == 4, "tampered: \(tampered.stderr)")
        #expect(tampered.stdout.isEmpty)
        let error = #expect(throws: SecretctlError.self) { try fixture.store.open(allowPrompt: false) }
        #expect(error?.code == .damaged, "secretctl agrees: exit 65")
    }

    @Test func committedVectorsMatchTheirGenerator() throws {
        if let reason = FormatPython.unavailableReason() {
            Issue.record(Comment(rawValue: reason))
            return
        }
        let result = try FormatPython.run([FormatPython.generator.path, "--check"])
        #expect(result.status == 0, "FormatVectors/ differs from what generate.py writes (run it and commit): \(result.stderr)")
    }
}
