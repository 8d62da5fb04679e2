#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SecretctlCore
import Testing

/// Files someone else can put in the way: a committed vault whose header asks scrypt for more
/// than the cap, a lock file that is a link or a FIFO, a key or identity file that is a FIFO.
/// Each is refused with one error naming the file, and nothing hangs or is written elsewhere.
struct HostileFilesTests {
    // MARK: - scrypt parameters from the header

    /// log2 N 21 with r 1 is cheap to refuse and cheap to run: before the cap it parsed and
    /// failed as a wrong passphrase (77); with it the header is refused (65) before scrypt runs.
    @Test(arguments: ["21 1 1", "20 8 2", "19 32 1", "22 8 1"])
    func aHeaderAskingForTooMuchScryptIsRefusedBeforeDeriving(_ parameters: String) async throws {
        let sandbox = try TestSandbox()
        let passphrase = "correct horse battery"
        try await sandbox.initVault(["--passphrase-only", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": passphrase])
        try await sandbox.set("DATABASE_URL", "postgres://u:pw-1234@db/x", environment: ["SECRETCTL_PASSPHRASE": passphrase])
        let path = sandbox.vaultPath()
        let text = String(decoding: try sandbox.read(path), as: UTF8.self)
        let hostile = text.replacingOccurrences(of: "\npassphrase 10 8 1 ", with: "\npassphrase \(parameters) ")
        try #require(hostile != text, "the passphrase line was rewritten")
        try sandbox.write(Array(hostile.utf8), to: path)

        let started = Date()
        let result = await sandbox.run(["get", "DATABASE_URL"], environment: ["SECRETCTL_PASSPHRASE": passphrase])
        result.expectFailure(.damaged, path, hint: "restore")
        #expect(result.errorMessage?.contains("scrypt") == true, "the error says what is wrong: \(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 5, "refused before scrypt ran")
        #expect(try sandbox.read(path) == Array(hostile.utf8), "the vault is unchanged")
    }

    // MARK: - The lock file

    @Test func aLockFileThatIsASymbolicLinkIsRefusedAndNothingIsCreatedAtItsTarget() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("A", "first-value-1")
        let vault = sandbox.vaultPath()
        let lock = vault + ".lock"
        unlink(lock)
        let target = sandbox.home + "/planted-by-the-link"
        try #require(symlink(target, lock) == 0, "symlink: \(String(cString: strerror(errno)))")
        let before = try sandbox.read(vault)

        let result = await sandbox.run(["set", "A", "--raw"], stdin: Array("second-value-2".utf8))
        result.expectFailure(.failure, lock, hint: "rm \(lock)")
        #expect(result.errorMessage?.contains("symbolic link") == true)
        #expect(!sandbox.exists(target), "no file was created where the link points")
        #expect(try sandbox.read(vault) == before, "the vault is unchanged")
    }

    @Test func aLockFileThatIsAFIFOIsRefusedWithoutHanging() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let vault = sandbox.vaultPath()
        let lock = vault + ".lock"
        unlink(lock)
        try #require(mkfifo(lock, 0o600) == 0, "mkfifo: \(String(cString: strerror(errno)))")
        let before = try sandbox.read(vault)

        // The binary, so a hang is a timeout of one process, not of the test runner.
        let result = try #require(try sandbox.startBinary(["set", "A", "--raw"], stdin: Array("a-value-here".utf8)).finish(within: 20),
            "secretctl hung on the FIFO")
        #expect(result.code == ExitCode.failure.rawValue, "stderr: \(result.stderr)")
        #expect(result.errorMessage?.contains("\(lock) is not a regular file (a FIFO)") == true, "stderr: \(result.stderr)")
        #expect(try sandbox.read(vault) == before, "the vault is unchanged")
    }

    // MARK: - Key and identity files

    enum KeySource: String, CaseIterable, Sendable {
        case keyFileVariable = "SECRETCTL_KEY_FILE"
        case identityFileVariable = "SECRETCTL_IDENTITY_FILE"
        case defaultKeyFile = "the default key file"
    }

    /// A FIFO named as a key file would block a plain open (and then a read) forever.
    @Test(arguments: KeySource.allCases)
    func aKeyFileThatIsAFIFOIsRefusedWithoutHanging(_ source: KeySource) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("A", "first-value-1")
        let fifo = sandbox.home + "/key.fifo"
        var environment: [String: String] = [:]
        let keyFile = try sandbox.keyFile()
        switch source {
        case .keyFileVariable:
            try #require(mkfifo(fifo, 0o600) == 0)
            // The real key is moved away so only the FIFO is on offer.
            try sandbox.move(keyFile, to: sandbox.home + "/real.key")
            environment["SECRETCTL_KEY_FILE"] = fifo
        case .identityFileVariable:
            try #require(mkfifo(fifo, 0o600) == 0)
            _ = await sandbox.run(["keygen", "--output", sandbox.home + "/id"])
            let recipient = try #require(try sandbox.read(sandbox.home + "/id").split(separator: 0x0A)
                .map { String(decoding: $0, as: UTF8.self) }.first { $0.hasPrefix("# recipient: ") }).dropFirst("# recipient: ".count)
            await sandbox.run(["recipients", "add", "me", String(recipient)]).expectSuccess()
            try sandbox.move(keyFile, to: sandbox.home + "/real.key")
            environment["SECRETCTL_IDENTITY_FILE"] = fifo
        case .defaultKeyFile:
            unlink(keyFile)
            try #require(mkfifo(keyFile, 0o600) == 0)
        }
        let shown = source == .defaultKeyFile ? keyFile : fifo
        let result = try #require(try sandbox.startBinary(["get", "A"], environment: environment).finish(within: 20),
            "secretctl hung on the FIFO")
        #expect(result.code == ExitCode.noKey.rawValue, "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.errorMessage?.contains("\(shown) is not a regular file (a FIFO)") == true, "stderr: \(result.stderr)")
    }
}
