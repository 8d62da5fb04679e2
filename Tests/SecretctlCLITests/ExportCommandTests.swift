import Foundation
import SecretctlCore
import Testing

/// `secretctl export --format env|json`: stdout only, round-trips through import and python-dotenv.
struct ExportCommandTests {
    /// Values that break naive quoting, by name.
    static let values: [String: String] = [
        "DATABASE_URL": "postgresql://todo:p@ss w0rd#1@db.neon.tech/todo?sslmode=require",
        "QUOTES": #"say "hi" and 'bye'"#,
        "NEWLINES": "line1\nline2\r\nline3\n",
        "DOLLARS": #"$HOME $1 \$x"#,
        "HASHES": "# not a comment #",
        "BACKSLASHES": #"C:\dir\\share\n"#,
        "SPACES": "  padded  ",
        "UNICODE": "ünïcödé ✓ 🎉",
        "TABS": "a\tb",
        "EMPTY": "",
    ]

    private func sandboxWithValues() async throws -> TestSandbox {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        for (name, value) in Self.values { try await sandbox.set(name, value) }
        return sandbox
    }

    @Test func envOutputImportsBackToTheSameBytes() async throws {
        let sandbox = try await sandboxWithValues()
        let exported = await sandbox.run(["export", "--format", "env"])
        exported.expectSuccess()
        #expect(exported.stderr.isEmpty, "nothing to say on stderr:\n\(exported.stderr)")

        try await sandbox.initVault(["--env", "copy"])
        await sandbox.run(["import", "-", "--env", "copy", "--allow-empty"], stdin: exported.stdout).expectSuccess()
        for (name, value) in Self.values {
            #expect(try await sandbox.get(name, ["--env", "copy"]) == value.utf8Bytes, "\(name)")
        }
    }

    @Test func envOutputIsReadByPythonDotenvAsTheSameValues() async throws {
        let sandbox = try await sandboxWithValues()
        let exported = await sandbox.run(["export"])
        exported.expectSuccess()
        let file = sandbox.root + "/exported.env"
        try sandbox.write(exported.stdout, to: file)
        for interpolate in [false, true] {
            let read = try IoPython.dotenvValues(file, interpolate: interpolate)
            #expect(read == Self.values, "python-dotenv (interpolate=\(interpolate)) read different values")
        }
    }

    @Test func envLayoutIsOneDoubleQuotedLinePerEntryInNameOrder() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("B", "two\nlines")
        try await sandbox.set("A", "say \"x\"")
        let exported = await sandbox.run(["export"])
        #expect(exported.stdoutText == "A=\"say \\\"x\\\"\"\nB=\"two\\nlines\"\n")
    }

    @Test func jsonOutputIsAnObjectOfNamesToStrings() async throws {
        let sandbox = try await sandboxWithValues()
        let exported = await sandbox.run(["export", "--format", "json"])
        exported.expectSuccess()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout)) as? [String: String], "a JSON object of strings")
        #expect(object == Self.values)
    }

    @Test func onlyPicksEntriesCommaSeparatedOrRepeated() async throws {
        let sandbox = try await sandboxWithValues()
        let exported = await sandbox.run(["export", "--format", "json", "--only", "QUOTES,TABS", "--only", "UNICODE"])
        exported.expectSuccess()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout)) as? [String: String], "a JSON object")
        #expect(object.keys.sorted() == ["QUOTES", "TABS", "UNICODE"])
    }

    @Test func unknownNamesInOnlyAreAllNamedAndNothingIsPrinted() async throws {
        let sandbox = try await sandboxWithValues()
        await sandbox.run(["export", "--only", "QUOTES,NOPE,ALSO_NOPE"]).expectFailure(.failure, "no entry named NOPE, ALSO_NOPE", hint: "secretctl list")
    }

    @Test(arguments: ["env", "json"])
    func valuesThatAreNotUTF8AreRefusedNamingTheEntry(_ format: String) async throws {
        let sandbox = try await sandboxWithValues()
        try await sandbox.set("TLS_KEY", [0x30, 0x82, 0xFF, 0x00, 0xC3])
        let result = await sandbox.run(["export", "--format", format])
        result.expectFailure(.failure, "TLS_KEY is not valid UTF-8 text", hint: "--only")
        // With the binary entry left out, the rest exports.
        let names = Self.values.keys.sorted().joined(separator: ",")
        await sandbox.run(["export", "--format", format, "--only", names]).expectSuccess()
    }

    @Test func warnsOnATerminal() async throws {
        let sandbox = try await sandboxWithValues()
        let result = await sandbox.run(["export"], stdoutIsTerminal: true)
        result.expectSuccess()
        #expect(result.warnings.contains { $0.contains("terminal") && $0.contains("scrollback") })
        #expect(!result.stdout.isEmpty, "it still prints what was asked")
    }

    @Test func warnsAboutValuesPythonDotenvWouldInterpolate() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("TEMPLATE", "https://${HOST}/api")
        let result = await sandbox.run(["export"])
        result.expectSuccess()
        #expect(result.warnings.contains { $0.contains("TEMPLATE contains '${'") })
        #expect(!(await sandbox.run(["export", "--format", "json"]).stderr.contains("TEMPLATE")), "JSON is not interpolated by anyone")
    }

    @Test func warnsAboutValuesPythonDotenvWouldMisread() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("SHARE", "two\nlines ending in \\")
        try await sandbox.set("PLAIN_PATH", "C:\\share\\")
        let result = await sandbox.run(["export"])
        result.expectSuccess()
        #expect(result.warnings.contains { $0.hasPrefix("SHARE ends with a backslash") }, "\(result.stderr)")
        #expect(!result.stderr.contains("PLAIN_PATH"), "written bare, python-dotenv reads it right")
        #expect(result.stdoutText.contains("PLAIN_PATH=C:\\share\\\n"))
    }

    @Test(arguments: [["-o", "out.env"], ["--output", "out.env"], ["--format", "yaml"]])
    func thereIsNoOutputFileOptionAndNoOtherFormat(_ extra: [String]) async throws {
        let sandbox = try await sandboxWithValues()
        let result = await sandbox.run(["export"] + extra)
        #expect(result.code == ExitCode.usage.rawValue)
        #expect(result.stdout.isEmpty)
        #expect(!sandbox.exists(sandbox.project + "/out.env"))
    }

    @Test func anEmptyVaultExportsNothing() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let env = await sandbox.run(["export"])
        env.expectSuccess()
        #expect(env.stdout.isEmpty)
        #expect(await sandbox.run(["export", "--format", "json"]).stdoutText == "{}\n")
    }
}

/// python-dotenv, as the app's backend reads a dotenv file (output via files, not pipes).
enum IoPython {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func dotenvValues(_ path: String, interpolate: Bool) throws -> [String: String] {
        let script = """
            import json, sys
            from dotenv import dotenv_values
            sys.stdout.write(json.dumps(dotenv_values(sys.argv[1], interpolate=(sys.argv[2] == "1")), ensure_ascii=True))
            """
        let capture = path + ".json"
        _ = FileManager.default.createFile(atPath: capture, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path, interpolate ? "1" : "0"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: capture))
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "python3 exited \(process.terminationStatus); is python-dotenv installed?") }
        let data = FileManager.default.contents(atPath: capture) ?? Data()
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: String] else {
            throw Failure(description: "python-dotenv returned something other than name -> string")
        }
        return object
    }
}
