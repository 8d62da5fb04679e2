import Foundation
import SecretctlCore
import Testing

/// `generate` and `rotate`: random values by a remembered recipe.
struct VaultGenerateTests {
    static let base64Alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)
    static let base64URLAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let hexAlphabet = Set("0123456789abcdef".utf8)

    @Test func defaultIs32BytesAsStandardBase64AndIsNotPrinted() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let result = await sandbox.run(["generate", "BETTER_AUTH_SECRET"])
        result.expectSuccess()
        #expect(result.stdout.isEmpty, "generate does not print the value")
        let value = try await sandbox.get("BETTER_AUTH_SECRET")
        #expect(!result.stderr.utf8Bytes.contains(subsequence: value))
        #expect(value.count == 44)
        #expect(value.allSatisfy(Self.base64Alphabet.contains))
        #expect(Data(base64Encoded: Data(value))?.count == 32, "44 characters of base64 decode to 32 bytes")
        #expect(result.stderr.contains("random 32 bytes, base64"))
    }

    @Test func twoGeneratedValuesDiffer() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["generate", "ONE"]).expectSuccess()
        await sandbox.run(["generate", "TWO"]).expectSuccess()
        #expect(try await sandbox.get("ONE") != (try await sandbox.get("TWO")))
    }

    @Test(arguments: [
        (["--bytes", "1"], 4, "base64"),
        (["--bytes", "16"], 24, "base64"),
        (["--bytes", "64", "--encoding", "base64"], 88, "base64"),
        (["--encoding", "base64url"], 43, "base64url"),
        (["--bytes", "1", "--encoding", "base64url"], 2, "base64url"),
        (["--bytes", "48", "--encoding", "base64url"], 64, "base64url"),
        (["--encoding", "hex"], 64, "hex"),
        (["--bytes", "5", "--encoding", "hex"], 10, "hex"),
    ])
    func lengthAndAlphabetFollowTheRecipe(options: [String], length: Int, encoding: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["generate", "RANDOM"] + options).expectSuccess()
        let value = try await sandbox.get("RANDOM")
        #expect(value.count == length)
        let alphabet = switch encoding {
        case "base64": Self.base64Alphabet
        case "base64url": Self.base64URLAlphabet
        default: Self.hexAlphabet
        }
        #expect(value.allSatisfy(alphabet.contains), "\(String(decoding: value, as: UTF8.self)) is not \(encoding)")
        if encoding == "base64url" { #expect(!value.contains(UInt8(ascii: "="))) }
    }

    @Test(arguments: [
        ["--bytes", "0"], ["--bytes", "-3"], ["--bytes", "1048577"], ["--bytes", "many"],
        ["--encoding", "base32"], ["--encoding", "HEX"],
        // 1 MiB of random bytes encodes to more than 1 MiB.
        ["--bytes", "1048576"],
    ])
    func badRecipesAreUsageErrors(options: [String]) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["generate", "RANDOM"] + options).expectFailure(.usage, "")
        await sandbox.run(["get", "RANDOM"]).expectFailure(.failure, "no entry named RANDOM")
    }

    @Test func generateRefusesAnExistingEntryWithoutForce() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("EXISTING", "hand-set-value")
        await sandbox.run(["generate", "EXISTING"]).expectFailure(.failure, "already exists", hint: "--force")
        #expect(try await sandbox.get("EXISTING") == "hand-set-value".utf8Bytes)

        await sandbox.run(["generate", "EXISTING", "--force", "--encoding", "hex"]).expectSuccess()
        let generated = try await sandbox.get("EXISTING")
        #expect(generated.count == 64)
        // The hand-set value is kept in history.
        await sandbox.run(["rollback", "EXISTING"]).expectSuccess()
        #expect(try await sandbox.get("EXISTING") == "hand-set-value".utf8Bytes)
    }

    @Test func generateChecksTheName() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["generate", "bad/name"]).expectFailure(.usage, "not a valid entry name (8 characters;")
        let odd = await sandbox.run(["generate", "tls.key"])
        odd.expectSuccess()
        #expect(odd.warnings.contains { $0.contains("not a valid environment variable name") })
    }

    // MARK: - rotate

    @Test(arguments: [
        ([String](), 44, "base64"),
        (["--bytes", "24", "--encoding", "hex"], 48, "hex"),
        (["--bytes", "33", "--encoding", "base64url"], 44, "base64url"),
    ])
    func rotateUsesTheRecipeAndKeepsTheOldValue(options: [String], length: Int, encoding: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["generate", "SESSION"] + options).expectSuccess()
        let old = try await sandbox.get("SESSION")
        sandbox.remember(old)

        let rotated = await sandbox.run(["rotate", "SESSION"])
        rotated.expectSuccess()
        #expect(rotated.stdout.isEmpty, "rotate does not print the value")
        let new = try await sandbox.get("SESSION")
        #expect(new != old)
        #expect(new.count == length)
        let alphabet = switch encoding {
        case "base64": Self.base64Alphabet
        case "base64url": Self.base64URLAlphabet
        default: Self.hexAlphabet
        }
        #expect(new.allSatisfy(alphabet.contains))
        #expect(await sandbox.run(["history", "SESSION"]).stdoutText.split(separator: "\n").count == 2)
        let listed = await sandbox.run(["list", "--json"]).stdoutText
        #expect(listed.contains("\"recipe\":\"random \(options.isEmpty ? 32 : Int(options[1])!) bytes, \(encoding)\""))

        await sandbox.run(["rollback", "SESSION"]).expectSuccess()
        #expect(try await sandbox.get("SESSION") == old, "the old value stayed in history")
    }

    @Test func rotateOfAHandSetEntryIsAnError() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("HAND_SET", "typed-by-a-person")
        let before = try sandbox.read(sandbox.vaultPath())
        await sandbox.run(["rotate", "HAND_SET"]).expectFailure(.failure, "set by hand", hint: "secretctl set HAND_SET")
        #expect(try sandbox.read(sandbox.vaultPath()) == before)
        await sandbox.run(["rotate", "MISSING"]).expectFailure(.failure, "no entry named MISSING")
    }

    @Test func setOverAGeneratedEntryForgetsTheRecipe() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["generate", "TOKEN"]).expectSuccess()
        try await sandbox.set("TOKEN", "now-set-by-hand")
        await sandbox.run(["rotate", "TOKEN"]).expectFailure(.failure, "set by hand")
    }
}
