import Foundation
import SecretctlCore
import Testing

/// `secretctl init`: the vault, the key file, passphrases, and nothing readable on disk.
struct VaultInitTests {
    @Test func initCreatesAVaultAndAKeyFileBothMode0600() async throws {
        let sandbox = try TestSandbox()
        let result = try await sandbox.initVault()
        result.expectSuccess()
        #expect(result.stdout.isEmpty, "init prints nothing on stdout")

        let vault = sandbox.vaultPath()
        #expect(sandbox.mode(vault) == 0o600)
        let lines = try sandbox.vaultLines(vault)
        #expect(lines.first == "secretctl-vault/v1")
        let vaultID = try sandbox.vaultID(vault)
        #expect(vaultID.count == 32 && vaultID.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(try sandbox.unlockerLines(vault).map { $0.split(separator: " ").first } == ["key"])

        let keyPath = "\(sandbox.config)/secretctl/keys/\(vaultID).key"
        #expect(try sandbox.keyFile() == keyPath)
        #expect(sandbox.mode(keyPath) == 0o600)
        #expect(sandbox.mode(sandbox.keysFolder) == 0o700)
        let keyText = try sandbox.read(keyPath)
        #expect(keyText.count == 45 && keyText.last == 0x0A, "a key file is 44 base64 characters and a LF")
        #expect(Data(base64Encoded: Data(keyText.dropLast()))?.count == 32)

        // stderr says where the key is and how to back it up.
        #expect(result.stderr.contains(keyPath))
        #expect(result.hints.contains { $0.contains("back up") })
    }

    @Test func initRefusesToOverwriteAnExistingVault() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_TOKEN", "keep-me-123")
        let before = try sandbox.read(sandbox.vaultPath())

        let again = await sandbox.run(["init"])
        again.expectFailure(.failure, "already exists", hint: "--env")
        #expect(try sandbox.read(sandbox.vaultPath()) == before, "the vault was not touched")
        #expect(sandbox.keyFiles.count == 1, "no second key file")
        #expect(try await sandbox.get("API_TOKEN") == "keep-me-123".utf8Bytes)
    }

    @Test func initWithPassphraseAddsAPassphraseUnlockerBesideTheKey() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(["--passphrase", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": "correct horse battery"])
        let unlockers = try sandbox.unlockerLines(sandbox.vaultPath())
        #expect(unlockers.count == 2)
        #expect(unlockers.contains { $0.hasPrefix("key ") })
        #expect(unlockers.contains { $0.hasPrefix("passphrase 10 8 1 ") })
        try await sandbox.set("DB_PASSWORD", "pg-secret-value")

        // The passphrase alone opens it once the key file is gone.
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        #expect(try await sandbox.get("DB_PASSWORD", environment: ["SECRETCTL_PASSPHRASE": "correct horse battery"]) == "pg-secret-value".utf8Bytes)
        let without = await sandbox.run(["get", "DB_PASSWORD"])
        without.expectFailure(.noKey, "no key in hand unlocks")
    }

    @Test func initWithPassphraseOnlyWritesNoKeyFile() async throws {
        let sandbox = try TestSandbox()
        let result = try await sandbox.initVault(["--passphrase-only", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": "only-a-passphrase"])
        #expect(sandbox.keyFiles.isEmpty)
        #expect(!sandbox.exists(sandbox.keysFolder) || sandbox.keyFiles.isEmpty)
        #expect(try sandbox.unlockerLines(sandbox.vaultPath()).map { $0.split(separator: " ").first } == ["passphrase"])
        #expect(result.stderr.contains("passphrase only"))

        try await sandbox.set("TOKEN", "abc-def-ghi", environment: ["SECRETCTL_PASSPHRASE": "only-a-passphrase"])
        #expect(try await sandbox.get("TOKEN", environment: ["SECRETCTL_PASSPHRASE": "only-a-passphrase"]) == "abc-def-ghi".utf8Bytes)
        await sandbox.run(["get", "TOKEN"], environment: ["SECRETCTL_PASSPHRASE": "not-the-passphrase"])
            .expectFailure(.noKey, "no key in hand unlocks")
    }

    @Test func initTakesThePassphraseFromThePromptTypedTwice() async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(["init", "--passphrase-only", "--scrypt-work-factor", "10"], answers: ["typed passphrase", "typed passphrase"])
        result.expectSuccess()
        #expect(result.prompts.count == 2)
        // Later commands prompt for it on the terminal.
        let list = await sandbox.run(["list"], answers: ["typed passphrase"])
        list.expectSuccess()
        #expect(list.prompts.count == 1 && list.prompts[0].contains("dev.vault"))
    }

    @Test(arguments: [
        (["typed one", "typed two"], "differ"),
        (["short", "short"], "shorter than 8"),
        ([], "no terminal"),
    ])
    func initRefusesABadNewPassphrase(answers: [String], fragment: String) async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(["init", "--passphrase", "--scrypt-work-factor", "10"], answers: answers)
        result.expectFailure(.usage, fragment)
        #expect(!sandbox.exists(sandbox.vaultPath()), "nothing was created")
        #expect(sandbox.keyFiles.isEmpty, "no key file left behind")
    }

    @Test(arguments: ["9", "21", "22", "23", "-1"])
    func initRefusesAnOutOfRangeWorkFactor(factor: String) async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(["init", "--passphrase", "--scrypt-work-factor", factor], environment: ["SECRETCTL_PASSPHRASE": "long enough"])
        result.expectFailure(.usage, "")
        #expect(!sandbox.exists(sandbox.vaultPath()))
    }

    @Test func defaultWorkFactorIsAtLeastAges() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(["--passphrase-only"], environment: ["SECRETCTL_PASSPHRASE": "default work factor"])
        let line = try #require(try sandbox.unlockerLines(sandbox.vaultPath()).first)
        #expect(line.hasPrefix("passphrase 18 8 1 "))
    }

    @Test func initWithoutASecretsFolderCreatesOneInTheWorkingDirectory() async throws {
        let sandbox = try TestSandbox(secretsFolder: false)
        try await sandbox.initVault()
        #expect(sandbox.mode(sandbox.vaultPath()) == 0o600)
        #expect(sandbox.keyFiles.count == 1)
    }

    /// The headline promise: after storing values, no file anywhere in the sandbox (vault,
    /// lock file, key folder, project) holds a value in the clear or in base64.
    @Test func nothingReadableOnDisk() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(["--passphrase", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": "disk check passphrase"])
        let values: [[UInt8]] = [
            "postgres://app:hunter2-very-secret@db:5432/todo".utf8Bytes,
            "BETTER-AUTH-plain-text-marker-7f3a".utf8Bytes,
            [0x00, 0xFF, 0x10, 0x80, 0x7F, 0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0x42, 0x42],
            Array(repeating: UInt8(ascii: "Z"), count: 300),
        ]
        for (index, value) in values.enumerated() {
            try await sandbox.set("VALUE_\(index)", value)
            try await sandbox.set("VALUE_\(index)", value + "-v2".utf8Bytes)
        }
        let generated = await sandbox.run(["generate", "GENERATED"])
        generated.expectSuccess()
        let generatedValue = try await sandbox.get("GENERATED")
        sandbox.remember(generatedValue)
        await sandbox.run(["rotate", "GENERATED"]).expectSuccess()
        await sandbox.run(["rm", "VALUE_3"]).expectSuccess()
        await sandbox.run(["rollback", "VALUE_0"]).expectSuccess()

        let files = sandbox.allFiles
        #expect(files.contains(sandbox.vaultPath()))
        #expect(files.contains(sandbox.vaultPath() + ".lock"))
        var needles: [(String, [UInt8])] = []
        for value in values + [generatedValue] {
            needles.append(("raw", value))
            needles.append(("base64", Array(Data(value).base64EncodedString().utf8)))
            needles.append(("passphrase", "disk check passphrase".utf8Bytes))
        }
        for file in files {
            let contents = try sandbox.read(file)
            for (form, needle) in needles {
                #expect(!contents.contains(subsequence: needle), "a value (\(form)) is readable in \(file)")
            }
        }
        // The only files are the vault, its lock file, the key file and this machine's memory of
        // the vault's data key (a one-way check, searched for values above); no temp file is left.
        let knownKeys = sandbox.config + "/secretctl/known-keys/"
        #expect(files.filter { !$0.hasPrefix(sandbox.keysFolder) && !$0.hasPrefix(knownKeys) }.sorted() == [sandbox.vaultPath(), sandbox.vaultPath() + ".lock"])
        #expect(files.filter { $0.hasPrefix(knownKeys) } == [knownKeys + (try sandbox.vaultID(sandbox.vaultPath()))])
        #expect(try sandbox.read(sandbox.vaultPath() + ".lock").isEmpty, "the lock file holds nothing")
    }
}
