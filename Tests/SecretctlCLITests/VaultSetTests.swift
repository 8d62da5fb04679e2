import SecretctlCore
import Testing

/// `secretctl set`: where values come from, what names and sizes are accepted.
struct VaultSetTests {
    static let mebibyte = 1 << 20

    /// What a pipe delivers and what is stored: exactly one "\n" or "\r\n" is removed.
    @Test(arguments: [
        ("value\n", "value"),
        ("value\r\n", "value"),
        ("value", "value"),
        ("value\n\n", "value\n"),
        ("value\r\n\r\n", "value\r\n"),
        ("value\r", "value\r"),
        ("value\n\r", "value\n\r"),
        ("  spaced value  \n", "  spaced value  "),
        ("multi\nline\nvalue\n", "multi\nline\nvalue"),
    ])
    func pipedValueLosesExactlyOneTrailingLineBreak(piped: String, stored: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        sandbox.remember(stored.utf8Bytes)
        let result = await sandbox.run(["set", "PIPED"], stdin: piped.utf8Bytes)
        result.expectSuccess()
        #expect(result.stdout.isEmpty, "set prints nothing on stdout")
        #expect(try await sandbox.get("PIPED") == stored.utf8Bytes)
    }

    @Test(arguments: ["value\n", "value\r\n", "\n", "tab\t\n\n"])
    func rawKeepsPipedBytesExactly(piped: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["set", "RAW", "--raw"], stdin: piped.utf8Bytes).expectSuccess()
        #expect(try await sandbox.get("RAW") == piped.utf8Bytes)
    }

    @Test func fromFileStoresBinaryBytesExactly() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        var bytes: [UInt8] = [0x00, 0x0A, 0x0D, 0x0A, 0xFF, 0x00, 0x00]
        bytes += (0...255).map { UInt8($0) }
        bytes += [0x0A]
        let file = sandbox.root + "/tls.key"
        try sandbox.write(bytes, to: file)
        sandbox.remember(Array(bytes[7..<40]))
        await sandbox.run(["set", "TLS_KEY", "--from-file", file]).expectSuccess()
        #expect(try await sandbox.get("TLS_KEY") == bytes, "no byte trimmed, none added, NUL kept")

        // A relative path is relative to the working directory.
        try sandbox.write([0x01, 0x00, 0x02], to: sandbox.project + "/blob.bin")
        await sandbox.run(["set", "BLOB", "--from-file", "blob.bin"]).expectSuccess()
        #expect(try await sandbox.get("BLOB") == [0x01, 0x00, 0x02])
    }

    @Test func binaryValueThroughAPipeWithRaw() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let bytes: [UInt8] = [0x00, 0x00, 0x80, 0xC3, 0x28, 0x0A]
        await sandbox.run(["set", "BIN", "--raw"], stdin: bytes).expectSuccess()
        #expect(try await sandbox.get("BIN") == bytes)
    }

    @Test func fromAMissingFileIsMissingInput() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["set", "X", "--from-file", sandbox.root + "/nope"]).expectFailure(.noInput, "nope")
    }

    @Test func typedAtThePromptWhenStdinIsATerminal() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        sandbox.remember("typed-secret-value".utf8Bytes)
        let result = await sandbox.run(["set", "TYPED"], stdinIsTerminal: true, answers: ["typed-secret-value"])
        result.expectSuccess()
        #expect(result.prompts == ["Value for TYPED: "])
        #expect(try await sandbox.get("TYPED") == "typed-secret-value".utf8Bytes)
    }

    @Test func aTerminalWithoutATTYToPromptOnIsAUsageError() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["set", "TYPED"], stdinIsTerminal: true).expectFailure(.usage, "no terminal", hint: "--from-file")
    }

    /// A value on the command line lands in shell history and `ps`: refused, and not echoed back.
    @Test(arguments: [
        ["set", "API_KEY", "sk-live-argv-secret"],
        ["set", "API_KEY", "sk-live-argv-secret", "--raw"],
        ["set", "--raw", "API_KEY", "sk-live-argv-secret"],
        ["set", "API_KEY", "--", "sk-live-argv-secret"],
        ["set", "API_KEY", "-sk-live-argv-secret"],
        ["set", "API_KEY", "--sk-live-argv-secret"],
    ])
    func aValueOnTheCommandLineIsRefused(arguments: [String]) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let result = await sandbox.run(arguments, stdin: "from-stdin\n".utf8Bytes)
        result.expectFailure(.usage, "command line", hint: "--from-file")
        #expect(!result.stderr.contains("argv-secret"), "the refused value must not be echoed:\n\(result.stderr)")
        await sandbox.run(["get", "API_KEY"]).expectFailure(.failure, "no entry named API_KEY")
    }

    @Test(arguments: [
        "bad/name", "", String(repeating: "a", count: 254), "white space", "ünicode", "semi;colon", "a=b",
    ])
    func invalidNamesAreUsageErrors(name: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let result = await sandbox.run(["set", name], stdin: "v\n".utf8Bytes)
        result.expectFailure(.usage, name.isEmpty ? "empty" : "not a valid entry name")
        #expect(name.count < 4 || !result.stderr.contains(name), "the rejected name was repeated:\n\(result.stderr)")
        #expect(await sandbox.run(["list", "--json"]).stdoutText == "[]\n", "nothing was stored")
    }

    @Test(arguments: [String(repeating: "a", count: 249) + ".key", "my.key", "tls.crt", "-dash", "9lives", ".dot"])
    func keyNamesThatAreNotEnvironmentVariablesAreAcceptedWithAWarning(name: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        // A name starting with '-' needs '--' so it is not read as an option.
        let separator = name.hasPrefix("-") ? ["--"] : []
        let result = await sandbox.run(["set"] + separator + [name], stdin: "value-for-odd-name\n".utf8Bytes)
        result.expectSuccess()
        #expect(result.warnings.contains { $0.contains("not a valid environment variable name") && $0.contains("envFrom") })
        #expect(try await sandbox.get(name, separator) == "value-for-odd-name".utf8Bytes)
    }

    @Test func theLongestNameIs253Characters() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let name = String(repeating: "A", count: 253)
        await sandbox.run(["set", name], stdin: "longest-name-value\n".utf8Bytes).expectSuccess()
        #expect(try await sandbox.get(name) == "longest-name-value".utf8Bytes)
    }

    @Test(arguments: ["DATABASE_URL", "_private", "camelCase9"])
    func environmentVariableNamesGetNoWarning(name: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let result = await sandbox.run(["set", name], stdin: "v1\n".utf8Bytes)
        result.expectSuccess()
        #expect(result.warnings.isEmpty)
    }

    @Test func exactlyOneMebibyteIsAccepted() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let value = [UInt8](repeating: 0x41, count: Self.mebibyte)
        await sandbox.run(["set", "BIG", "--raw"], stdin: value).expectSuccess()
        #expect(try await sandbox.get("BIG") == value)
        let file = sandbox.root + "/big.bin"
        try sandbox.write(value, to: file)
        await sandbox.run(["set", "BIG_FILE", "--from-file", file]).expectSuccess()
        #expect(try await sandbox.get("BIG_FILE").count == Self.mebibyte)
    }

    /// A 1 MiB value piped with the usual trailing newline is 1 MiB once trimmed.
    @Test func oneMebibytePipedWithATrailingNewlineIsAccepted() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let value = [UInt8](repeating: 0x41, count: Self.mebibyte)
        let result = await sandbox.run(["set", "BIG_LINE"], stdin: value + [0x0A])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(try await sandbox.get("BIG_LINE").count == Self.mebibyte)
        // 1 MiB + 3 bytes is over the limit even after trimming.
        await sandbox.run(["set", "BIG_LINE"], stdin: value + [0x41, 0x0D, 0x0A]).expectFailure(.usage, "1 MiB")
    }

    @Test func overOneMebibyteIsRefusedFromEverySource() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let value = [UInt8](repeating: 0x42, count: Self.mebibyte + 1)
        await sandbox.run(["set", "BIG", "--raw"], stdin: value).expectFailure(.usage, "1 MiB")
        let file = sandbox.root + "/big.bin"
        try sandbox.write(value, to: file)
        await sandbox.run(["set", "BIG", "--from-file", file]).expectFailure(.usage, "1 MiB")
        await sandbox.run(["get", "BIG"]).expectFailure(.failure, "no entry named BIG")
    }

    @Test(arguments: ["", "\n", "\r\n"])
    func anEmptyValueNeedsAllowEmpty(piped: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["set", "EMPTY"], stdin: piped.utf8Bytes).expectFailure(.usage, "empty", hint: "--allow-empty")
        await sandbox.run(["set", "EMPTY", "--allow-empty"], stdin: piped.utf8Bytes).expectSuccess()
        #expect(try await sandbox.get("EMPTY").isEmpty)
    }

    @Test func settingAgainMakesTheNextVersion() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let first = try await sandbox.set("ROTATED_BY_HAND", "first-value")
        #expect(first.stderr.contains("v1"))
        let second = try await sandbox.set("ROTATED_BY_HAND", "second-value")
        #expect(second.stderr.contains("v2"))
        #expect(try await sandbox.get("ROTATED_BY_HAND") == "second-value".utf8Bytes)
    }

    @Test func setWithoutAVaultIsMissingInputWithAnInitHint() async throws {
        let sandbox = try TestSandbox()
        await sandbox.run(["set", "X"], stdin: "value-no-vault\n".utf8Bytes).expectFailure(.noInput, "no vault", hint: "secretctl init")
        #expect(!sandbox.exists(sandbox.vaultPath()))
    }
}
