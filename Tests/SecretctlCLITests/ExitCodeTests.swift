import Foundation
import SecretctlCore
import Testing

/// The README's exit-code table, one representative command line per row.
struct ExitCodeTests {
    /// The state of the world a command line runs in.
    enum World: String, Sendable {
        /// No vault at all.
        case noVault
        /// A vault holding `API_KEY` (set by hand) and `SESSION` (generated).
        case vault
        /// That vault with one payload byte changed.
        case tampered
        /// That vault, but the only key in hand is another one.
        case wrongKey
        /// That vault while another process holds its lock (SECRETCTL_LOCK_TIMEOUT=0.3).
        case lockHeld
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var world: World
        var expected: ExitCode
        var stdin: String = ""
        /// A fragment of the error message (failures only).
        var message: String = ""

        var testDescription: String { "\(world.rawValue): secretctl \(arguments.joined(separator: " ")) -> \(expected.rawValue)" }
    }

    static let rows: [Row] = [
        Row(arguments: ["list"], world: .vault, expected: .success),
        Row(arguments: ["get", "API_KEY"], world: .vault, expected: .success),
        Row(arguments: ["set", "NEW"], world: .vault, expected: .success, stdin: "new-value\n"),
        Row(arguments: ["--help"], world: .noVault, expected: .success),
        Row(arguments: ["list", "--help"], world: .noVault, expected: .success),
        Row(arguments: ["--version"], world: .noVault, expected: .success),
        Row(arguments: ["init"], world: .noVault, expected: .success),

        Row(arguments: ["get", "MISSING"], world: .vault, expected: .failure, message: "no entry named MISSING"),
        Row(arguments: ["rm", "MISSING"], world: .vault, expected: .failure, message: "no entry named MISSING"),
        Row(arguments: ["init"], world: .vault, expected: .failure, message: "already exists"),
        Row(arguments: ["generate", "API_KEY"], world: .vault, expected: .failure, message: "already exists"),
        Row(arguments: ["rotate", "API_KEY"], world: .vault, expected: .failure, message: "set by hand"),
        Row(arguments: ["rollback", "SESSION", "--to", "7"], world: .vault, expected: .failure, message: "no kept version 7"),

        Row(arguments: ["set", "API_KEY", "value-on-argv"], world: .vault, expected: .usage, message: "command line"),
        Row(arguments: ["set", "bad/name"], world: .vault, expected: .usage, stdin: "x\n", message: "not a valid entry name"),
        Row(arguments: ["set", "EMPTY"], world: .vault, expected: .usage, message: "empty"),
        Row(arguments: ["frobnicate"], world: .vault, expected: .usage),
        Row(arguments: ["get"], world: .vault, expected: .usage),
        Row(arguments: ["list", "--env", "Bad/Env"], world: .vault, expected: .usage, message: "not a valid environment name"),
        Row(arguments: ["generate", "X", "--bytes", "0"], world: .vault, expected: .usage, message: "--bytes"),
        Row(arguments: [], world: .vault, expected: .usage),
        Row(arguments: ["passphrase"], world: .vault, expected: .usage),

        Row(arguments: ["get", "API_KEY"], world: .tampered, expected: .damaged, message: "tampered"),
        Row(arguments: ["list"], world: .tampered, expected: .damaged, message: "tampered"),
        Row(arguments: ["set", "API_KEY"], world: .tampered, expected: .damaged, stdin: "v\n", message: "tampered"),

        Row(arguments: ["get", "API_KEY"], world: .noVault, expected: .noInput, message: "no vault"),
        Row(arguments: ["set", "X", "--from-file", "/nonexistent/file"], world: .vault, expected: .noInput, message: "/nonexistent/file"),

        Row(arguments: ["set", "API_KEY"], world: .lockHeld, expected: .lockTimeout, stdin: "v\n", message: "another secretctl process"),
        Row(arguments: ["rm", "API_KEY"], world: .lockHeld, expected: .lockTimeout, message: "another secretctl process"),

        Row(arguments: ["get", "API_KEY"], world: .wrongKey, expected: .noKey, message: "no key in hand unlocks"),
        Row(arguments: ["set", "API_KEY"], world: .wrongKey, expected: .noKey, stdin: "v\n", message: "no key in hand unlocks"),
    ]

    @Test(arguments: rows)
    func exitCode(row: Row) async throws {
        let sandbox = try TestSandbox()
        var environment: [String: String] = [:]
        var holder: RunningProcess?
        defer { holder?.stop() }
        if row.world != .noVault {
            try await sandbox.initVault()
            try await sandbox.set("API_KEY", "exit-code-table-value")
            await sandbox.run(["generate", "SESSION"]).expectSuccess()
            sandbox.remember(try await sandbox.get("SESSION"))
        }
        switch row.world {
        case .noVault, .vault: break
        case .tampered:
            let path = sandbox.vaultPath()
            var bytes = try sandbox.read(path)
            let index = bytes.count - 20
            bytes[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            try sandbox.write(bytes, to: path)
        case .wrongKey:
            try sandbox.write(Array((randomKeyText() + "\n").utf8), to: try sandbox.keyFile())
        case .lockHeld:
            holder = try await sandbox.holdLock(sandbox.vaultPath() + ".lock")
            environment["SECRETCTL_LOCK_TIMEOUT"] = "0.3"
        }

        let result = await sandbox.run(row.arguments, stdin: Array(row.stdin.utf8), environment: environment)
        if row.arguments.contains("--help") {
            result.expectSuccess()
            #expect(result.stdoutText.contains("USAGE: secretctl"), "help is a result: stdout")
        } else if row.expected == .success {
            result.expectSuccess()
        } else if row.arguments.isEmpty || row.arguments == ["passphrase"] {
            // A bare command group prints its help on stderr.
            #expect(result.code == ExitCode.usage.rawValue)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("USAGE"))
        } else {
            result.expectFailure(row.expected, row.message)
        }
    }

    /// Every command that needs a vault says how to make one.
    @Test(arguments: [
        ["get", "X"], ["list"], ["list", "--json"], ["set", "X"], ["rm", "X"], ["history", "X"], ["rollback", "X"],
        ["generate", "X"], ["rotate", "X"], ["passphrase", "add"], ["passphrase", "rm"], ["rekey"],
    ])
    func aMissingVaultIs66WithAnInitHint(arguments: [String]) async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(arguments, stdin: "value-for-missing\n".utf8Bytes,
            environment: ["SECRETCTL_PASSPHRASE": "a long passphrase"])
        result.expectFailure(.noInput, "no vault at \(sandbox.vaultPath())", hint: "secretctl init")
        #expect(sandbox.allFiles.isEmpty, "nothing was created")
    }

    /// The same table holds for the built binary (a few rows, as a real process).
    @Test func theBuiltBinaryUsesTheSameCodes() async throws {
        let sandbox = try TestSandbox()
        try sandbox.runBinary(["list"]).expectFailure(.noInput, "no vault", hint: "secretctl init")
        try sandbox.runBinary(["init"]).expectSuccess()
        try sandbox.runBinary(["get", "NOPE"]).expectFailure(.failure, "no entry named NOPE")
        try sandbox.runBinary(["set", "A", "argv-value"]).expectFailure(.usage, "command line")
        try sandbox.runBinary(["--env", "BAD", "list"]).expectFailure(.usage, "")
        try sandbox.runBinary(["list"], environment: ["SECRETCTL_KEY": randomKeyText(), "XDG_CONFIG_HOME": sandbox.root + "/none"])
            .expectFailure(.noKey, "SECRETCTL_KEY is set but does not open")
        var bytes = try sandbox.read(sandbox.vaultPath())
        bytes[bytes.count - 5] = bytes[bytes.count - 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try sandbox.write(bytes, to: sandbox.vaultPath())
        try sandbox.runBinary(["list"]).expectFailure(.damaged, "tampered")
    }
}
