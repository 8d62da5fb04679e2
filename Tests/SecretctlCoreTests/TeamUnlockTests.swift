import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// Opening a shared vault with identities, and removing a recipient with a new data key.
@Suite("Team: unlocking with identities and removing recipients")
struct TeamUnlockTests {
    /// A folder with a vault unlocked by a key file, alice and bob; carol is not a recipient.
    final class Fixture: @unchecked Sendable {
        let directory: String
        let vaultPath: String
        let keyPath: String
        let key: SecureBytes
        let alice: Identity
        let bob: Identity
        let carol: Identity

        init(passphrase: String? = nil) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("secretctl-team-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory + "/secrets", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory + "/config", withIntermediateDirectories: true)
            vaultPath = directory + "/secrets/dev.vault"
            keyPath = directory + "/dev.key"
            key = try SecureRandom.secureBytes(32)
            alice = try Identity.generate()
            bob = try Identity.generate()
            carol = try Identity.generate()
            let keyText = KeyFile.encode(key).withUnsafeBytes { Data($0) }
            #expect(FileManager.default.createFile(atPath: keyPath, contents: keyText, attributes: [.posixPermissions: 0o600]))

            let vaultID = try VaultCrypto.newVaultID()
            let dataKey = try SecureRandom.secureBytes(32)
            var unlockers = [
                try VaultCrypto.keyUnlocker(dataKey: dataKey, key: key, keyID: try VaultCrypto.newKeyID(), vaultID: vaultID),
                try VaultCrypto.recipientUnlocker(dataKey: dataKey, recipient: alice.recipient, name: "alice", vaultID: vaultID),
                try VaultCrypto.recipientUnlocker(dataKey: dataKey, recipient: bob.recipient, name: "bob", vaultID: vaultID),
            ]
            if let passphrase {
                unlockers.append(try VaultCrypto.passphraseUnlocker(
                    dataKey: dataKey, passphrase: SecureBytes(copying: Array(passphrase.utf8)),
                    parameters: ScryptParameters(log2N: 10, r: 8, p: 1), vaultID: vaultID))
            }
            let owner = store(["SECRETCTL_KEY_FILE": keyPath])
            try owner.create(header: VaultHeader(vaultID: vaultID, unlockers: unlockers), dataKey: dataKey)
            try owner.update { (vault: inout OpenedVault) throws(SecretctlError) in
                VaultEditor.set(&vault.contents, name: "DATABASE_URL", value: SecretValue(SecureBytes(copying: Array("postgres://x:y@db/app".utf8))),
                    recipe: nil, keepRecipe: false, now: 1_750_000_000)
                VaultEditor.set(&vault.contents, name: "API_TOKEN", value: SecretValue(try SecretGenerator.generate(Recipe(bytes: 16, encoding: .hex))),
                    recipe: Recipe(bytes: 16, encoding: .hex), keepRecipe: false, now: 1_750_000_100)
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func environment(_ variables: [String: String]) -> ProcessEnvironment {
            var all = ["XDG_CONFIG_HOME": directory + "/config", "HOME": directory, "SECRETCTL_LOCK_TIMEOUT": "5"]
            all.merge(variables) { $1 }
            return ProcessEnvironment(variables: all, workingDirectory: directory)
        }

        func store(_ variables: [String: String]) -> VaultStore {
            VaultStore(path: vaultPath, environment: environment(variables), prompter: NoPrompter())
        }

        func writeIdentity(_ identity: Identity, to path: String, mode: Int) throws {
            let text = identity.fileText(comments: []).withUnsafeBytes { Data($0) }
            #expect(FileManager.default.createFile(atPath: path, contents: text, attributes: [.posixPermissions: mode]))
        }

        func text(_ identity: Identity) -> String { identity.secretString.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
    }

    static func value(_ vault: OpenedVault, _ name: String) -> String? {
        vault.contents[name].map { entry in entry.current.value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
    }

    // MARK: - Opening

    @Test("each recipient opens the vault with its own identity, from every source")
    func recipientsOpen() throws {
        let fixture = try Fixture()
        let alice = try fixture.store(["SECRETCTL_IDENTITY": fixture.text(fixture.alice)]).open()
        #expect(Self.value(alice, "DATABASE_URL") == "postgres://x:y@db/app")

        let bobPath = fixture.directory + "/bob.identity"
        try fixture.writeIdentity(fixture.bob, to: bobPath, mode: 0o600)
        #expect(Self.value(try fixture.store(["SECRETCTL_IDENTITY_FILE": bobPath]).open(), "DATABASE_URL") == "postgres://x:y@db/app")

        try FileManager.default.createDirectory(atPath: fixture.directory + "/config/secretctl", withIntermediateDirectories: true)
        try fixture.writeIdentity(fixture.alice, to: fixture.directory + "/config/secretctl/identity", mode: 0o600)
        #expect(Self.value(try fixture.store([:]).open(), "DATABASE_URL") == "postgres://x:y@db/app", "the default identity file")
    }

    @Test("an identity that is not a recipient gets exit 77 naming what was tried")
    func strangerIsRefused() throws {
        let fixture = try Fixture()
        let error = try #require(throws: SecretctlError.self) {
            try fixture.store(["SECRETCTL_IDENTITY": fixture.text(fixture.carol)]).open()
        }
        #expect(error.code == .noKey)
        #expect(error.message.contains("SECRETCTL_IDENTITY (\(fixture.carol.recipient.shortString))"))
        #expect(!error.message.contains(fixture.text(fixture.carol).dropFirst(22).prefix(20)), "the identity is never echoed")
        #expect(error.hint?.contains("secretctl keygen") == true)
    }

    @Test("a wrong SECRETCTL_KEY does not stop an identity from opening the vault")
    func identityAfterWrongKey() throws {
        let fixture = try Fixture()
        let wrongKey = KeyFile.encode(try SecureRandom.secureBytes(32)).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        let vault = try fixture.store(["SECRETCTL_KEY": wrongKey, "SECRETCTL_IDENTITY": fixture.text(fixture.bob)]).open()
        #expect(vault.contents.count == 2)
    }

    @Test("an identity file readable by others is refused")
    func looseIdentityFileIsRefused() throws {
        let fixture = try Fixture()
        let path = fixture.directory + "/loose.identity"
        try fixture.writeIdentity(fixture.alice, to: path, mode: 0o644)
        let error = try #require(throws: SecretctlError.self) { try fixture.store(["SECRETCTL_IDENTITY_FILE": path]).open() }
        #expect(error.code == .noKey && error.message.contains("readable by other users"))
    }

    @Test("changing a recipient line's ephemeral key: its owner gets a wrong key, everyone else a damaged vault")
    func tamperedLine() throws {
        let fixture = try Fixture()
        var file = try VaultFile.parse(try Array(Data(contentsOf: URL(fileURLWithPath: fixture.vaultPath))))
        guard case let .recipient(name, recipientKey, _, nonce, wrapped) = file.header.unlockers[1] else {
            Issue.record("line 2 is not alice's")
            return
        }
        for replacement in [try X25519.publicKey(privateKey: try X25519.generatePrivateKey()), [UInt8](repeating: 0, count: 32)] {
            file.header.unlockers[1] = .recipient(name: name, recipientKey: recipientKey, ephemeralKey: replacement, nonce: nonce, wrapped: wrapped)
            try Data(file.bytes).write(to: URL(fileURLWithPath: fixture.vaultPath))
            let aliceError = try #require(throws: SecretctlError.self) { try fixture.store(["SECRETCTL_IDENTITY": fixture.text(fixture.alice)]).open() }
            #expect(aliceError.code == .noKey)
            let bobError = try #require(throws: SecretctlError.self) { try fixture.store(["SECRETCTL_IDENTITY": fixture.text(fixture.bob)]).open() }
            #expect(bobError.code == .damaged, "the header is the payload's associated data")
        }
    }

    // MARK: - Removing a recipient

    @Test("removing bob: new data key, bob and the old data key are locked out, the others still open")
    func removalRotatesTheDataKey() throws {
        let fixture = try Fixture()
        let owner = fixture.store(["SECRETCTL_KEY_FILE": fixture.keyPath])
        let oldDataKey = try owner.open().dataKey
        try owner.update { (vault: inout OpenedVault) throws(SecretctlError) in
            vault.header.unlockers.removeAll { $0.label == "recipient bob" }
            let rotation = DataKeyRotation(
                keys: try DataKeyRotation.keysInHand(vaultID: vault.vaultID, environment: owner.environment), passphrase: nil, dropUnavailable: false)
            #expect(try rotation.rotate(&vault).isEmpty)
        }
        let file = try owner.readFile()
        #expect(file.header.unlockers.map(\.label).contains("recipient alice"))
        #expect(!file.header.unlockers.map(\.label).contains("recipient bob"))
        #expect(throws: VaultFormatError.self) { try VaultCrypto.open(file, dataKey: oldDataKey) }
        #expect(!(try owner.open().dataKey.constantTimeEquals(oldDataKey)))

        let bobError = try #require(throws: SecretctlError.self) { try fixture.store(["SECRETCTL_IDENTITY": fixture.text(fixture.bob)]).open() }
        #expect(bobError.code == .noKey)
        #expect(Self.value(try fixture.store(["SECRETCTL_IDENTITY": fixture.text(fixture.alice)]).open(), "DATABASE_URL") == "postgres://x:y@db/app")
        #expect(Self.value(try owner.open(), "DATABASE_URL") == "postgres://x:y@db/app", "the key file line was re-wrapped")
    }

    @Test("a key line without its key in hand is refused, or dropped when asked")
    func unavailableKeyLine() throws {
        let fixture = try Fixture()
        let alice = fixture.store(["SECRETCTL_IDENTITY": fixture.text(fixture.alice)])
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.vaultPath))
        let error = try #require(throws: SecretctlError.self) {
            try alice.update { (vault: inout OpenedVault) throws(SecretctlError) in
                _ = try DataKeyRotation(keys: [], passphrase: nil, dropUnavailable: false).rotate(&vault)
            }
        }
        #expect(error.code == .noKey && error.message.contains("key file"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.vaultPath)) == before, "nothing was written")

        let dropped = try alice.update { (vault: inout OpenedVault) throws(SecretctlError) in
            try DataKeyRotation(keys: [], passphrase: nil, dropUnavailable: true).rotate(&vault)
        }
        #expect(dropped.count == 1 && dropped[0].hasPrefix("key file "))
        #expect(try alice.readFile().header.unlockers.allSatisfy(\.isRecipient))
    }

    @Test("a passphrase line is kept with the right passphrase and refused with a wrong one")
    func passphraseLine() throws {
        let fixture = try Fixture(passphrase: "a long enough passphrase")
        let alice = fixture.store(["SECRETCTL_IDENTITY": fixture.text(fixture.alice), "SECRETCTL_KEY_FILE": fixture.keyPath])
        let error = try #require(throws: SecretctlError.self) {
            try alice.update { (vault: inout OpenedVault) throws(SecretctlError) in
                _ = try DataKeyRotation(keys: [fixture.key], passphrase: SecureBytes(copying: Array("wrong".utf8)), dropUnavailable: false).rotate(&vault)
            }
        }
        #expect(error.code == .noKey)
        try alice.update { (vault: inout OpenedVault) throws(SecretctlError) in
            _ = try DataKeyRotation(keys: [fixture.key], passphrase: SecureBytes(copying: Array("a long enough passphrase".utf8)), dropUnavailable: false).rotate(&vault)
        }
        let byPassphrase = fixture.store(["SECRETCTL_PASSPHRASE": "a long enough passphrase", "XDG_CONFIG_HOME": fixture.directory + "/nothing"])
        #expect(try byPassphrase.open().contents.count == 2)
    }
}
