import Foundation
import SecretctlCore
import Testing

/// `rekey` keeps the keys it retires in the default key file, so older copies of the vault
/// still open and merge; `forget-retired-keys` removes them on request. And a key the user
/// names explicitly that does not open the vault is an error, never skipped.
struct KeyRetirementTests {
    // MARK: - Retired keys

    /// A branch made before a rekey still opens, can be written, and merges into the re-keyed vault.
    @Test func aCopyFromBeforeARekeyStillOpensAndMerges() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "value-before-the-rekey")
        let base = sandbox.root + "/merge_file_base"  // git hands the driver temp files of such names
        // Copies keep the name dev.vault: a vault is bound to its environment.
        try sandbox.makeFolder(sandbox.root + "/theirs")
        let theirs = sandbox.root + "/theirs/dev.vault"
        try sandbox.write(try sandbox.read(sandbox.vaultPath()), to: base)
        try sandbox.write(try sandbox.read(sandbox.vaultPath()), to: theirs)

        await sandbox.run(["rekey"]).expectSuccess()
        // The other branch keeps working with the retired key.
        try await sandbox.set("OTHER_BRANCH", "written-on-the-old-branch", ["--vault", theirs])
        #expect(try await sandbox.get("API_KEY", ["--vault", theirs]) == "value-before-the-rekey".utf8Bytes)

        let merge = await sandbox.run(["git", "merge", base, sandbox.vaultPath(), theirs, "secrets/dev.vault"])
        merge.expectSuccess()
        #expect(try await sandbox.get("OTHER_BRANCH") == "written-on-the-old-branch".utf8Bytes)
        #expect(try await sandbox.get("API_KEY") == "value-before-the-rekey".utf8Bytes)
    }

    @Test func everyRekeyKeepsEveryEarlierKey() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "kept-through-three-rekeys")
        var copies: [String] = []
        for round in 0..<3 {
            let copy = sandbox.root + "/copy\(round)/dev.vault"
            try sandbox.makeFolder(sandbox.root + "/copy\(round)")
            try sandbox.write(try sandbox.read(sandbox.vaultPath()), to: copy)
            copies.append(copy)
            let result = await sandbox.run(["rekey"])
            result.expectSuccess()
            #expect(result.stderr.contains("keeps \(round + 1) retired"), "rekey says what it kept:\n\(result.stderr)")
        }
        for copy in copies + [sandbox.vaultPath()] {
            #expect(try await sandbox.get("API_KEY", ["--vault", copy]) == "kept-through-three-rekeys".utf8Bytes, "\(copy) still opens")
        }
        let ring = String(decoding: try sandbox.read(try sandbox.keyFile()), as: UTF8.self)
        let ids = ring.split(separator: "\n").filter { $0.hasPrefix("key ") }.map { $0.split(separator: " ")[1] }
        #expect(ids.count == 4 && Set(ids).count == 4, "four keys, four distinct ids:\n\(ring)")
    }

    /// A vault opened from SECRETCTL_KEY alone (CI) keeps that key too: it is the one older copies need.
    @Test func aRekeyFromAnExplicitKeyRetiresThatKey() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "opened-from-the-variable")
        let oldKey = String(decoding: try sandbox.read(try sandbox.keyFile()), as: UTF8.self)
        try sandbox.makeFolder(sandbox.root + "/copy")
        let copy = sandbox.root + "/copy/dev.vault"
        try sandbox.write(try sandbox.read(sandbox.vaultPath()), to: copy)
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/backup.key")

        await sandbox.run(["rekey"], environment: ["SECRETCTL_KEY": oldKey]).expectSuccess()
        #expect(try await sandbox.get("API_KEY") == "opened-from-the-variable".utf8Bytes)
        #expect(try await sandbox.get("API_KEY", ["--vault", copy]) == "opened-from-the-variable".utf8Bytes)
    }

    @Test func forgetRetiredKeysKeepsOnlyTheKeyThatOpensTheVault() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "after-forgetting")
        try sandbox.makeFolder(sandbox.root + "/copy")
        let copy = sandbox.root + "/copy/dev.vault"
        try sandbox.write(try sandbox.read(sandbox.vaultPath()), to: copy)
        await sandbox.run(["rekey"]).expectSuccess()
        let keyPath = try sandbox.keyFile()

        let forget = await sandbox.run(["forget-retired-keys"])
        forget.expectSuccess()
        #expect(forget.stderr.contains("removed 1 retired key"), "\(forget.stderr)")
        #expect(forget.warnings.contains { $0.contains("no longer open") }, "\(forget.stderr)")
        #expect(sandbox.mode(keyPath) == 0o600)
        #expect(try sandbox.read(keyPath).count == 45, "one key left: the single-key form")
        #expect(try await sandbox.get("API_KEY") == "after-forgetting".utf8Bytes)
        await sandbox.run(["get", "API_KEY", "--vault", copy]).expectFailure(.noKey, "no key in hand unlocks")

        let again = await sandbox.run(["forget-retired-keys"])
        again.expectSuccess()
        #expect(again.stderr.contains("no retired keys"))
    }

    /// The key file of another copy (no key of it opens this vault) is never trimmed.
    @Test func forgetRetiredKeysRefusesAKeyFileThatDoesNotOpenTheVault() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let keyPath = try sandbox.keyFile()
        let foreign = Array((randomKeyText() + "\n").utf8)
        try sandbox.write(foreign, to: keyPath)
        await sandbox.run(["forget-retired-keys"]).expectFailure(.noKey, "opens the vault")
        #expect(try sandbox.read(keyPath) == foreign)
    }

    // MARK: - Explicit keys that fail

    enum Named: String, CaseIterable, Sendable {
        case key = "SECRETCTL_KEY"
        case keyFile = "SECRETCTL_KEY_FILE"
        case identity = "SECRETCTL_IDENTITY"
        case identityFile = "SECRETCTL_IDENTITY_FILE"
    }

    /// With a good default key file beside it, a wrong key the user named is an exit-77 error
    /// naming the variable: a CI job must not believe its key works.
    /// Two named sources: one that opens is enough (a CI job may set both).
    @Test func aNamedKeyThatOpensWinsOverAnotherNamedOneThatDoesNot() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "opened-by-the-key-file-variable")
        let good = sandbox.root + "/good.key"
        try sandbox.write(try sandbox.read(try sandbox.keyFile()), to: good)
        #expect(try await sandbox.get("API_KEY", environment: ["SECRETCTL_KEY": randomKeyText(), "SECRETCTL_KEY_FILE": good])
            == "opened-by-the-key-file-variable".utf8Bytes)
        let bad = sandbox.root + "/bad.key"
        try sandbox.write(Array((randomKeyText() + "\n").utf8), to: bad)
        await sandbox.run(["get", "API_KEY"], environment: ["SECRETCTL_KEY": randomKeyText(), "SECRETCTL_KEY_FILE": bad])
            .expectFailure(.noKey, "SECRETCTL_KEY, SECRETCTL_KEY_FILE are set but do not open")
    }

    @Test(arguments: Named.allCases)
    func aNamedKeyThatDoesNotOpenIsAnError(named: Named) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "behind-a-wrong-named-key")
        // A recipient, so identities are tried at all.
        let teammate = await sandbox.run(["keygen", "--output", "-"])
        teammate.expectSuccess()
        let recipient = try #require(teammate.stderrLines.compactMap { line -> String? in
            line.range(of: "recipient: ").map { String(line[$0.upperBound...]) }
        }.first)
        await sandbox.run(["recipients", "add", "teammate", recipient]).expectSuccess()
        let stranger = await sandbox.run(["keygen", "--output", "-"])
        stranger.expectSuccess()

        let value: String
        switch named {
        case .key: value = randomKeyText()
        case .keyFile:
            value = sandbox.root + "/wrong.key"
            try sandbox.write(Array((randomKeyText() + "\n").utf8), to: value)
        case .identity: value = stranger.stdoutText
        case .identityFile:
            value = sandbox.root + "/wrong-identity"
            try sandbox.write(stranger.stdout, to: value)
        }
        #expect(try await sandbox.get("API_KEY") == "behind-a-wrong-named-key".utf8Bytes, "the default key file opens the vault")
        let result = await sandbox.run(["get", "API_KEY"], environment: [named.rawValue: value])
        result.expectFailure(.noKey, "is set but does not open", hint: "unset it")
        #expect(result.errorMessage?.hasPrefix(named.rawValue) == true, "the variable is named: \(result.stderr)")
        await sandbox.run(["set", "API_KEY"], stdin: Array("new".utf8), environment: [named.rawValue: value])
            .expectFailure(.noKey, named.rawValue)
    }
}
