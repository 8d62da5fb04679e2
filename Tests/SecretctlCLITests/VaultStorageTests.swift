#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SecretctlCore
import Testing

/// Storage guarantees: locking, atomic replacement, stray temp files, modes, and where the vault is.
struct VaultStorageTests {
    // MARK: - The built binary, as a new user runs it

    @Test func theBuiltBinaryKeepsVaultAndKeyAt0600AndReadsAPipe() async throws {
        let sandbox = try TestSandbox()
        let initialized = try sandbox.runBinary(["init"])
        initialized.expectSuccess()
        #expect(sandbox.mode(sandbox.vaultPath()) == 0o600)
        #expect(sandbox.mode(try sandbox.keyFile()) == 0o600)

        sandbox.remember("piped-through-a-real-pipe".utf8Bytes)
        try sandbox.runBinary(["set", "PIPED"], stdin: "piped-through-a-real-pipe\n".utf8Bytes).expectSuccess()
        #expect(sandbox.mode(sandbox.vaultPath()) == 0o600)
        let got = try sandbox.runBinary(["get", "PIPED"])
        got.expectSuccess()
        #expect(got.stdout == "piped-through-a-real-pipe".utf8Bytes, "stdout is a file, not a terminal: no newline")
    }
}
