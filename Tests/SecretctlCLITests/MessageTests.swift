import Foundation
import SecretctlCore
import Testing

/// Messages that say a thing once, with its cause, and hints whose command works.
struct MessageTests {
    /// A vault whose payload was changed in the middle (still canonical base64).
    static func corruptVault() async throws -> TestSandbox {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "a-value-in-a-corrupt-vault")
        let bytes = try sandbox.read(sandbox.vaultPath())
        let payloadStart = try #require(bytes.dropLast().lastIndex(of: 0x0A)) + 1
        let middle = payloadStart + (bytes.count - payloadStart) / 2
        try sandbox.overwriteByte(sandbox.vaultPath(), at: middle, with: bytes[middle] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A"))
        return sandbox
    }

    @Test func aCorruptVaultIsSaidToBeDamagedOnce() async throws {
        let sandbox = try await Self.corruptVault()
        let result = await sandbox.run(["get", "API_KEY"])
        result.expectFailure(.damaged, "is damaged or was tampered with", hint: "restore it from git")
        let message = try #require(result.errorMessage)
        #expect(message.components(separatedBy: "damaged").count == 2, "'damaged' is said once: \(message)")
        #expect(message.contains("integrity check"), "the cause is given: \(message)")
    }

    @Test func scanOfACorruptVaultDoesNotBlameTheKey() async throws {
        let sandbox = try await Self.corruptVault()
        try sandbox.write(Array("nothing here\n".utf8), to: sandbox.project + "/file.txt")
        let result = await sandbox.run(["scan", "file.txt"])
        result.expectFailure(.damaged, "damaged", hint: "restore it from git")
        #expect(!result.stderr.contains("unlocked"), "\(result.stderr)")
        #expect(!result.hints.contains { $0.contains("SECRETCTL_KEY") }, "\(result.stderr)")
    }

    // MARK: - Item by item

    @Test(arguments: [(["--env", "qa"], "secretctl init --env qa"), ([], "secretctl init'")])
    func aMissingVaultHintsTheInitThatCreatesIt(extra: [String], hint: String) async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(["list"] + extra)
        result.expectFailure(.noInput, "no vault at", hint: hint)
        let command = try #require(result.hints.first.flatMap { $0.split(separator: "'").dropFirst().first }.map(String.init))
        await sandbox.run(command.split(separator: " ").dropFirst().map(String.init)).expectSuccess()
        await sandbox.run(["list"] + extra).expectSuccess()
    }

    @Test func aMissingVaultGivenByPathHintsInitWithThatPath() async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(["list", "--vault", "elsewhere/team.vault"])
        result.expectFailure(.noInput, "no vault at", hint: "secretctl init --vault \(sandbox.project)/elsewhere/team.vault")
    }

    @Test func aNameWithASpaceIsNotTreatedAsAValue() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let result = await sandbox.run(["set", "MY KEY"], stdin: Array("v".utf8))
        result.expectFailure(.usage, "with a space", hint: "'_'")
        #expect(!result.stderr.contains("command line"), "\(result.stderr)")
        // A long string with other characters is still treated as a possible value.
        await sandbox.run(["set", "correct horse battery staple, really/2024"], stdin: Array("v".utf8))
            .expectFailure(.usage, "not a valid entry name", hint: "never given on the command line")
    }

    @Test func rmSaysHowManyVersionsWentAndHowToGetThemBack() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        for number in 1...3 { try await sandbox.set("OLD_KEY", "old-key-value-\(number)") }
        let result = await sandbox.run(["rm", "OLD_KEY"])
        result.expectSuccess()
        #expect(result.stderr.contains("removed OLD_KEY and all 3 kept versions (v1 to v3)"), "\(result.stderr)")
        #expect(result.hints.contains { $0.contains("git checkout HEAD -- \(sandbox.vaultPath())") }, "\(result.stderr)")
    }

    @Test func aFolderGivenAsAFileIsAMissingInput() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try sandbox.makeFolder(sandbox.project + "/a-folder")
        await sandbox.run(["set", "FROM_FOLDER", "--from-file", "a-folder"]).expectFailure(.noInput, "is a folder, not a file")
    }
}
