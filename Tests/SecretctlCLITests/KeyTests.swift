import Foundation
import SecretctlCore
import Testing

/// Key handling: the source order, key-file permissions, wrong keys, tampering,
/// passphrases, and re-keying.
struct KeyTests {
    static let passphrase = "a long enough passphrase"

    /// A vault with a key file and a passphrase (work factor 10, fast), holding one value.
    func vaultWithKeyAndPassphrase() async throws -> TestSandbox {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(["--passphrase", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": Self.passphrase])
        try await sandbox.set("DB_PASSWORD", "the-database-password")
        return sandbox
    }

    func keyText(_ sandbox: TestSandbox) throws -> String {
        String(decoding: try sandbox.read(try sandbox.keyFile()), as: UTF8.self)
    }

    // MARK: - Source order: SECRETCTL_KEY > SECRETCTL_KEY_FILE > default key file > SECRETCTL_PASSPHRASE

    @Test func whenNothingUnlocksTheErrorListsTheSourcesInOrder() async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        let defaultKey = try sandbox.keyFile()
        try sandbox.write(Array((randomKeyText() + "\n").utf8), to: defaultKey)
        // Named sources (SECRETCTL_KEY, SECRETCTL_KEY_FILE) that fail stop the search at once
        // (KeyRetirementTests); the ones secretctl looks for by itself are all tried and named.
        try sandbox.write(Array((randomKeyText() + "\n").utf8), to: defaultKey + ".new")
        let result = await sandbox.run(["get", "DB_PASSWORD"], environment: ["SECRETCTL_PASSPHRASE": "wrong passphrase"])
        result.expectFailure(.noKey, "no key in hand unlocks", hint: "SECRETCTL_KEY")
        let message = try #require(result.errorMessage)
        let order = ["key file \(defaultKey),", "key file \(defaultKey).new", "SECRETCTL_PASSPHRASE"].map { message.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil }, "every source is named: \(message)")
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "in the documented order: \(message)")
    }

    @Test func secretctlKeyComesBeforeSecretctlKeyFile() async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        let key = try keyText(sandbox)
        // A key file nobody may use (group-readable): it is never looked at when SECRETCTL_KEY unlocks.
        let exposed = sandbox.root + "/exposed.key"
        try sandbox.write(Array(key.utf8), to: exposed, mode: 0o644)
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        #expect(try await sandbox.get("DB_PASSWORD", environment: ["SECRETCTL_KEY": key, "SECRETCTL_KEY_FILE": exposed]) == "the-database-password".utf8Bytes)
        // Without SECRETCTL_KEY the same file is consulted, and refused.
        await sandbox.run(["get", "DB_PASSWORD"], environment: ["SECRETCTL_KEY_FILE": exposed]).expectFailure(.noKey, "readable by other users", hint: "chmod 600")
    }

    @Test func secretctlKeyFileComesBeforeTheDefaultKeyFile() async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        let defaultKey = try sandbox.keyFile()
        let elsewhere = sandbox.root + "/ci.key"
        try sandbox.move(defaultKey, to: elsewhere)
        try sandbox.write(try sandbox.read(elsewhere), to: defaultKey, mode: 0o644)
        #expect(try await sandbox.get("DB_PASSWORD", environment: ["SECRETCTL_KEY_FILE": elsewhere]) == "the-database-password".utf8Bytes)
        await sandbox.run(["get", "DB_PASSWORD"]).expectFailure(.noKey, "readable by other users", hint: "chmod 600 \(defaultKey)")
    }

    @Test func theDefaultKeyFileComesBeforeThePassphrase() async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        let result = await sandbox.run(["get", "DB_PASSWORD"], answers: ["typed but never asked"])
        result.expectSuccess()
        #expect(result.prompts.isEmpty, "no prompt when the key file unlocks")
        #expect(try await sandbox.get("DB_PASSWORD", environment: ["SECRETCTL_PASSPHRASE": "a wrong passphrase"]) == "the-database-password".utf8Bytes)
    }

    @Test func thePassphraseComesLastThenThePrompt() async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        let fromEnvironment = await sandbox.run(["get", "DB_PASSWORD"], answers: ["never asked"], environment: ["SECRETCTL_PASSPHRASE": Self.passphrase])
        #expect(fromEnvironment.stdout == "the-database-password".utf8Bytes)
        #expect(fromEnvironment.prompts.isEmpty)

        let typed = await sandbox.run(["get", "DB_PASSWORD"], answers: [Self.passphrase])
        #expect(typed.stdout == "the-database-password".utf8Bytes)
        #expect(typed.prompts.count == 1)

        await sandbox.run(["get", "DB_PASSWORD"], answers: ["mistyped passphrase"]).expectFailure(.noKey, "the passphrase typed")
        await sandbox.run(["get", "DB_PASSWORD"]).expectFailure(.noKey, "no key in hand unlocks", hint: "passphrase")
    }

    @Test(arguments: ["", "\n", "\r\n", "  \n"])
    func secretctlKeyAloneOpensTheVault(suffix: String) async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        let key = try keyText(sandbox).trimmingCharacters(in: .newlines)
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        #expect(try await sandbox.get("DB_PASSWORD", environment: ["SECRETCTL_KEY": key + suffix]) == "the-database-password".utf8Bytes)
    }

    @Test func secretctlKeyFileAloneOpensTheVaultRelativeToTheWorkingDirectory() async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        try sandbox.move(try sandbox.keyFile(), to: sandbox.project + "/local.key")
        #expect(try await sandbox.get("DB_PASSWORD", environment: ["SECRETCTL_KEY_FILE": "local.key"]) == "the-database-password".utf8Bytes)
        await sandbox.run(["get", "DB_PASSWORD"], environment: ["SECRETCTL_KEY_FILE": "missing.key"]).expectFailure(.noInput, "missing.key")
    }

    @Test(arguments: ["not base64 at all", "c2hvcnQ=", String(repeating: "A", count: 42) + "B=", "ZZZZ" + String(repeating: "A", count: 40) + "\u{0}"])
    func aMalformedSecretctlKeyIsRefusedWithoutEchoingIt(text: String) async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        let result = await sandbox.run(["get", "DB_PASSWORD"], environment: ["SECRETCTL_KEY": text])
        result.expectFailure(.noKey, "SECRETCTL_KEY does not hold a secretctl key")
        #expect(!result.stderr.contains(text.trimmingCharacters(in: .controlCharacters)))
    }

    // MARK: - Key file permissions

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o666] as [mode_t])
    func aKeyFileOthersCanReadIsRefusedWithAChmodHint(mode: mode_t) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "permission-test-value")
        let keyPath = try sandbox.keyFile()
        #expect(chmod(keyPath, mode) == 0)
        let result = await sandbox.run(["get", "API_KEY"])
        result.expectFailure(.noKey, "readable by other users", hint: "chmod 600 \(keyPath)")
        #expect(chmod(keyPath, 0o600) == 0)
        #expect(try await sandbox.get("API_KEY") == "permission-test-value".utf8Bytes)
    }

    @Test func aReadOnlyKeyFileForTheOwnerIsFine() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "permission-test-value")
        #expect(chmod(try sandbox.keyFile(), 0o400) == 0)
        #expect(try await sandbox.get("API_KEY") == "permission-test-value".utf8Bytes)
    }

    // MARK: - Wrong key, tampering, missing vault

    @Test func aWrongKeyExits77WithEmptyStdout() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "wrong-key-test-value")
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        let withKey = await sandbox.run(["get", "API_KEY"], environment: ["SECRETCTL_KEY": randomKeyText()])
        withKey.expectFailure(.noKey, "SECRETCTL_KEY is set but does not open", hint: "SECRETCTL_KEY to a key that opens")

        // A different key at the default path.
        try sandbox.write(Array((randomKeyText() + "\n").utf8), to: try sandbox.defaultKeyPath(sandbox.vaultPath()))
        for command in [["get", "API_KEY"], ["list"], ["history", "API_KEY"], ["rm", "API_KEY"], ["generate", "NEW"]] {
            await sandbox.run(command).expectFailure(.noKey, "no key in hand unlocks")
        }
        let noKeyAtAll = await sandbox.run(["list"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/empty-config"])
        noKeyAtAll.expectFailure(.noKey, "no key was found", hint: "restore the key file")
    }

    /// Offsets into the file to flip, described by which line they hit.
    enum Tamper: String, CaseIterable, Sendable {
        case payloadMiddle, payloadTag, payloadNonce, keyID, versionLine, vaultIDLine, truncated, appended, crlf

        func apply(to bytes: [UInt8]) -> [UInt8] {
            let text = String(decoding: bytes, as: UTF8.self)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let payload = lines.count - 2  // the last element is "" after the final LF
            func flip(_ line: String, at index: Int) -> String {
                var chars = Array(line)
                chars[index] = chars[index] == "A" ? "B" : "A"
                return String(chars)
            }
            switch self {
            case .payloadMiddle: lines[payload] = flip(lines[payload], at: lines[payload].count / 2)
            case .payloadTag: lines[payload] = flip(lines[payload], at: lines[payload].count - 8)
            case .payloadNonce: lines[payload - 1] = flip(lines[payload - 1], at: 6)
            case .keyID:
                // Another hex digit: the key id is not part of the wrap, so only the payload notices.
                let keyLine = lines.firstIndex { $0.hasPrefix("key ") }!
                var chars = Array(lines[keyLine])
                chars[4] = chars[4] == "0" ? "1" : "0"
                lines[keyLine] = String(chars)
            case .versionLine: lines[0] = "secretctl-vault/v2"
            case .vaultIDLine: lines[1] = "id " + String(repeating: "0", count: 32)
            case .truncated: return Array(bytes.dropLast(10))
            case .appended: return bytes + Array("extra\n".utf8)
            case .crlf: return Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            }
            return Array(lines.joined(separator: "\n").utf8)
        }

        /// The vault id is bound into every wrapped key: changing it is reported as no key.
        var expected: ExitCode { self == .vaultIDLine ? .noKey : .damaged }
    }

    @Test(arguments: Tamper.allCases)
    func aTamperedVaultExits65WithEmptyStdout(tamper: Tamper) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "tamper-test-value")
        let path = sandbox.vaultPath()
        let original = try sandbox.read(path)
        let keyText = String(decoding: try sandbox.read(try sandbox.keyFile()), as: UTF8.self)
        let changed = tamper.apply(to: original)
        try #require(changed != original, "the tamper changed something")
        try sandbox.write(changed, to: path)
        // SECRETCTL_KEY too, so a changed vault id still meets the right key.
        for command in [["get", "API_KEY"], ["list"], ["set", "OTHER"]] {
            let result = await sandbox.run(command, stdin: "x-value\n".utf8Bytes, environment: ["SECRETCTL_KEY": keyText])
            result.expectFailure(tamper.expected, tamper.expected == .noKey ? "" : "vault")
            if tamper == .payloadMiddle || tamper == .payloadTag || tamper == .keyID {
                #expect(result.errorMessage?.contains("tampered") == true, "\(result.stderr)")
                #expect(result.hints.contains { $0.contains("restore it from git") })
            }
        }
        #expect(try sandbox.read(path) == changed, "a damaged vault is never rewritten")
    }

    // MARK: - passphrase add / rm

    @Test func passphraseAddLetsThePassphraseOpenTheVault() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "passphrase-add-value")
        let added = await sandbox.run(["passphrase", "add", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": "first passphrase"])
        added.expectSuccess()
        #expect(added.stdout.isEmpty)
        #expect(try sandbox.unlockerLines(sandbox.vaultPath()).filter { $0.hasPrefix("passphrase 10 8 1 ") }.count == 1)
        #expect(sandbox.mode(sandbox.vaultPath()) == 0o600)

        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        #expect(try await sandbox.get("API_KEY", environment: ["SECRETCTL_PASSPHRASE": "first passphrase"]) == "passphrase-add-value".utf8Bytes)
        try sandbox.move(sandbox.root + "/moved.key", to: try sandbox.defaultKeyPath(sandbox.vaultPath()))

        // Adding again replaces it: one passphrase line, the old passphrase no longer opens.
        await sandbox.run(["passphrase", "add", "--scrypt-work-factor", "10"], answers: ["second passphrase", "second passphrase"]).expectSuccess()
        #expect(try sandbox.unlockerLines(sandbox.vaultPath()).filter { $0.hasPrefix("passphrase ") }.count == 1)
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        await sandbox.run(["get", "API_KEY"], environment: ["SECRETCTL_PASSPHRASE": "first passphrase"]).expectFailure(.noKey, "no key in hand unlocks")
        #expect(try await sandbox.get("API_KEY", environment: ["SECRETCTL_PASSPHRASE": "second passphrase"]) == "passphrase-add-value".utf8Bytes)
    }

    @Test func passphraseAddNeedsAKeyInHand() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        let before = try sandbox.read(sandbox.vaultPath())
        await sandbox.run(["passphrase", "add", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": "new passphrase here"])
            .expectFailure(.noKey, "no key in hand unlocks")
        #expect(try sandbox.read(sandbox.vaultPath()) == before)
    }

    @Test func passphraseAddRefusesBadParametersAndShortPassphrases() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["passphrase", "add", "--scrypt-work-factor", "30"], environment: ["SECRETCTL_PASSPHRASE": "long enough one"]).expectFailure(.usage, "scrypt")
        await sandbox.run(["passphrase", "add", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": "short"]).expectFailure(.usage, "shorter than 8")
        #expect(try sandbox.unlockerLines(sandbox.vaultPath()).count == 1)
    }

    /// Changing the passphrase of a passphrase-only vault: the current one is typed at the prompt.
    @Test func passphraseAddOnAPassphraseOnlyVaultAsksForTheCurrentOne() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(["--passphrase-only", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": "old passphrase"])
        try await sandbox.set("API_KEY", "passphrase-only-value", environment: ["SECRETCTL_PASSPHRASE": "old passphrase"])
        let changed = await sandbox.run(["passphrase", "add", "--scrypt-work-factor", "10"], answers: ["new passphrase", "new passphrase", "old passphrase"])
        changed.expectSuccess()
        #expect(try await sandbox.get("API_KEY", environment: ["SECRETCTL_PASSPHRASE": "new passphrase"]) == "passphrase-only-value".utf8Bytes)
        await sandbox.run(["get", "API_KEY"], environment: ["SECRETCTL_PASSPHRASE": "old passphrase"]).expectFailure(.noKey, "no key in hand unlocks")
    }

    @Test func passphraseRmRemovesThePassphrase() async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        let removed = await sandbox.run(["passphrase", "rm"])
        removed.expectSuccess()
        #expect(try sandbox.unlockerLines(sandbox.vaultPath()).map { $0.split(separator: " ")[0] } == ["key"])
        #expect(try await sandbox.get("DB_PASSWORD") == "the-database-password".utf8Bytes)
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        await sandbox.run(["get", "DB_PASSWORD"], environment: ["SECRETCTL_PASSPHRASE": Self.passphrase]).expectFailure(.noKey, "no key")
        try sandbox.move(sandbox.root + "/moved.key", to: try sandbox.defaultKeyPath(sandbox.vaultPath()))
        await sandbox.run(["passphrase", "rm"]).expectFailure(.failure, "has no passphrase")
    }

    @Test func passphraseRmRefusesToRemoveTheOnlyUnlocker() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(["--passphrase-only", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": Self.passphrase])
        let before = try sandbox.read(sandbox.vaultPath())
        await sandbox.run(["passphrase", "rm"], environment: ["SECRETCTL_PASSPHRASE": Self.passphrase])
            .expectFailure(.failure, "only unlocker", hint: "secretctl rekey")
        #expect(try sandbox.read(sandbox.vaultPath()) == before)
    }

    // MARK: - rekey

    @Test func rekeyKeepsValuesAndRetiresTheOldKey() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "before-rekey-1")
        try await sandbox.set("API_KEY", "before-rekey-2")
        await sandbox.run(["generate", "SESSION"]).expectSuccess()
        let session = try await sandbox.get("SESSION")
        sandbox.remember(session)
        let keyPath = try sandbox.keyFile()
        let oldKey = String(decoding: try sandbox.read(keyPath), as: UTF8.self)
        let oldVault = try sandbox.read(sandbox.vaultPath())

        let result = await sandbox.run(["rekey"])
        result.expectSuccess()
        #expect(result.stdout.isEmpty)
        #expect(result.hints.contains { $0.contains("rotate") })

        #expect(try sandbox.keyFile() == keyPath, "the key ring replaces the old file at the default path")
        #expect(sandbox.mode(keyPath) == 0o600)
        #expect(!sandbox.exists(keyPath + ".new"))
        let ring = String(decoding: try sandbox.read(keyPath), as: UTF8.self)
        let keyLines = ring.split(separator: "\n").filter { $0.hasPrefix("key ") }
        try #require(keyLines.count == 2, "the ring holds the new key and the retired one:\n\(ring)")
        let newKey = String(keyLines[0].split(separator: " ")[2])
        #expect(String(keyLines[1].split(separator: " ")[2]) + "\n" == oldKey, "the old key is kept, retired, after the new one")
        #expect(newKey + "\n" != oldKey)
        let newKeyID = String(keyLines[0].split(separator: " ")[1])
        #expect(try sandbox.unlockerLines(sandbox.vaultPath()).contains { $0.hasPrefix("key \(newKeyID) ") }, "the ring names the vault line's key id")
        #expect(try sandbox.vaultID(sandbox.vaultPath()) == (try sandbox.vaultID(sandbox.vaultPath())))
        #expect(sandbox.mode(sandbox.vaultPath()) == 0o600)
        #expect(try sandbox.read(sandbox.vaultPath()) != oldVault)

        // Values and history are kept.
        #expect(try await sandbox.get("API_KEY") == "before-rekey-2".utf8Bytes)
        #expect(try await sandbox.get("SESSION") == session)
        await sandbox.run(["rollback", "API_KEY"]).expectSuccess()
        #expect(try await sandbox.get("API_KEY") == "before-rekey-1".utf8Bytes)

        // The old key no longer opens the vault; the new one works through SECRETCTL_KEY, alone or as the whole ring.
        let elsewhere = ["XDG_CONFIG_HOME": sandbox.root + "/no-config"]
        await sandbox.run(["get", "API_KEY"], environment: elsewhere.merging(["SECRETCTL_KEY": oldKey]) { $1 }).expectFailure(.noKey, "SECRETCTL_KEY")
        #expect(try await sandbox.get("API_KEY", environment: elsewhere.merging(["SECRETCTL_KEY": newKey]) { $1 }) == "before-rekey-1".utf8Bytes)
        #expect(try await sandbox.get("API_KEY", environment: elsewhere.merging(["SECRETCTL_KEY": ring]) { $1 }) == "before-rekey-1".utf8Bytes)
        // A copy of the old vault file is not opened by the new key alone, but the key file still opens it.
        // (Kept under the same name: a vault is bound to its environment, dev.)
        try sandbox.makeFolder(sandbox.home + "/old")
        try sandbox.write(oldVault, to: sandbox.home + "/old/dev.vault")
        await sandbox.run(["get", "API_KEY", "--vault", sandbox.home + "/old/dev.vault"], environment: elsewhere.merging(["SECRETCTL_KEY": newKey]) { $1 })
            .expectFailure(.noKey, "SECRETCTL_KEY")
        #expect(try await sandbox.get("API_KEY", ["--vault", sandbox.home + "/old/dev.vault"]) == "before-rekey-2".utf8Bytes)
    }

    @Test func rekeyKeepsThePassphraseWhenGivenIt() async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        await sandbox.run(["rekey"], environment: ["SECRETCTL_PASSPHRASE": Self.passphrase]).expectSuccess()
        let unlockers = try sandbox.unlockerLines(sandbox.vaultPath())
        #expect(unlockers.count == 2 && unlockers.contains { $0.hasPrefix("passphrase 10 8 1 ") })
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/moved.key")
        #expect(try await sandbox.get("DB_PASSWORD", environment: ["SECRETCTL_PASSPHRASE": Self.passphrase]) == "the-database-password".utf8Bytes)
    }

    @Test func rekeyWithAWrongPassphraseChangesNothing() async throws {
        let sandbox = try await vaultWithKeyAndPassphrase()
        let vault = try sandbox.read(sandbox.vaultPath())
        let key = try sandbox.read(try sandbox.keyFile())
        await sandbox.run(["rekey"], answers: ["not the passphrase"]).expectFailure(.noKey, "nothing was changed")
        await sandbox.run(["rekey"]).expectFailure(.usage, "no terminal", hint: "SECRETCTL_PASSPHRASE")
        #expect(try sandbox.read(sandbox.vaultPath()) == vault)
        #expect(try sandbox.read(try sandbox.keyFile()) == key)
        #expect(!sandbox.exists(try sandbox.keyFile() + ".new"))
    }

    /// Teammates listed as recipients still open the vault after a rekey.
    @Test func rekeyKeepsRecipients() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "shared-with-a-teammate")
        let teammate = await sandbox.run(["keygen", "--output", "-"])
        teammate.expectSuccess()
        let identity = teammate.stdoutText
        let recipient = try #require(teammate.stderrLines.compactMap { line -> String? in
            guard let range = line.range(of: "recipient: ") else { return nil }
            return String(line[range.upperBound...])
        }.first, "keygen names the recipient on stderr:\n\(teammate.stderr)")
        await sandbox.run(["recipients", "add", "teammate", recipient]).expectSuccess()
        let asTeammate = ["SECRETCTL_IDENTITY": identity, "XDG_CONFIG_HOME": sandbox.root + "/teammate-config"]
        #expect(try await sandbox.get("API_KEY", environment: asTeammate) == "shared-with-a-teammate".utf8Bytes)

        await sandbox.run(["rekey"]).expectSuccess()
        #expect(try sandbox.unlockerLines(sandbox.vaultPath()).filter { $0.hasPrefix("recipient teammate ") }.count == 1)
        #expect(try await sandbox.get("API_KEY", environment: asTeammate) == "shared-with-a-teammate".utf8Bytes)
        #expect(try await sandbox.get("API_KEY") == "shared-with-a-teammate".utf8Bytes)
    }

    @Test func rekeyOfAPassphraseOnlyVaultAddsAKeyFile() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(["--passphrase-only", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": Self.passphrase])
        try await sandbox.set("API_KEY", "rekey-pp-only", environment: ["SECRETCTL_PASSPHRASE": Self.passphrase])
        await sandbox.run(["rekey"], environment: ["SECRETCTL_PASSPHRASE": Self.passphrase]).expectSuccess()
        #expect(sandbox.mode(try sandbox.keyFile()) == 0o600)
        #expect(try await sandbox.get("API_KEY") == "rekey-pp-only".utf8Bytes)
        await sandbox.run(["passphrase", "rm"]).expectSuccess()
        #expect(try await sandbox.get("API_KEY") == "rekey-pp-only".utf8Bytes)
    }
}
