import Foundation
import SecretctlCore
import Testing

/// Runs git in a sandbox's project without system or global config (for scan, guard and doctor tests).
struct ScanGit {
    let sandbox: TestSandbox

    @discardableResult
    func callAsFunction(
        _ arguments: [String], expect expected: Int32? = 0, environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.environment = sandbox.processEnvironment(
            ["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_PAGER": "cat"].merging(environment) { $1 })
        process.currentDirectoryURL = URL(fileURLWithPath: sandbox.project)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let result = CLIResult(code: process.terminationStatus, stdout: Array(stdout), stderr: stderr)
        if let expected {
            try #require(result.code == expected, "git \(arguments.joined(separator: " ")) exited \(result.code):\n\(stderr)\(result.stdoutText)",
                sourceLocation: sourceLocation)
        }
        return result
    }

    /// A repository in the project with one commit holding the vault and a .gitignore.
    static func repository(_ sandbox: TestSandbox, sourceLocation: SourceLocation = #_sourceLocation) throws -> ScanGit {
        let git = ScanGit(sandbox: sandbox)
        try git(["init", "-q", "-b", "main"], sourceLocation: sourceLocation)
        try git(["config", "user.name", "Test"], sourceLocation: sourceLocation)
        try git(["config", "user.email", "test@example.com"], sourceLocation: sourceLocation)
        try git(["config", "commit.gpgsign", "false"], sourceLocation: sourceLocation)
        try sandbox.write(Array("*.key\n.env\nignored/\n".utf8), to: sandbox.project + "/.gitignore", mode: 0o644)
        try git(["add", "-A"], sourceLocation: sourceLocation)
        try git(["commit", "-q", "-m", "base"], sourceLocation: sourceLocation)
        return git
    }
}

/// The three values the scan and guard tests plant, each chosen so its encoded forms differ from it.
enum ScanValues {
    static let authSecret = "q8Zt3mW1xV5bN7cK2pR9sL4dF6gH0jA1eY3uI5oP7aS="
    static let databaseURL = "postgresql://todo:Kx9v+Q2/mZ7pL4@db.internal:5432/todo"
    static let apiToken = "tok\"en\\with/slash-9f8e7d6c5b4a"

    /// A vault holding the three values, in a project that is a git repository.
    static func project(sourceLocation: SourceLocation = #_sourceLocation) async throws -> (TestSandbox, ScanGit) {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(sourceLocation: sourceLocation)
        try await sandbox.set("BETTER_AUTH_SECRET", authSecret, sourceLocation: sourceLocation)
        try await sandbox.set("DATABASE_URL", databaseURL, sourceLocation: sourceLocation)
        try await sandbox.set("API_TOKEN", apiToken, sourceLocation: sourceLocation)
        return (sandbox, try ScanGit.repository(sandbox, sourceLocation: sourceLocation))
    }

    /// Expects that no stored value, in any form a test wrote, shows in `text`.
    static func expectNoValue(_ text: String, _ sandbox: TestSandbox, extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        for value in sandbox.rememberedValues.map({ String(decoding: $0, as: UTF8.self) }) + extra where value.count >= 8 {
            #expect(!text.contains(value), "a value (or its encoding) was printed", sourceLocation: sourceLocation)
        }
    }
}

@Suite("scan: the work tree, paths, stdin, staged changes and history")
struct ScanCommandTests {
    func write(_ sandbox: TestSandbox, _ relative: String, _ text: String) throws {
        let path = sandbox.project + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try sandbox.write(Array(text.utf8), to: path, mode: 0o644)
    }

    @Test("finds a value in tracked and untracked files, not in ignored ones, and never prints it")
    func workTree() async throws {
        let (sandbox, git) = try await ScanValues.project()
        try write(sandbox, "app/config.js", "const a = 1;\nconst secret = \"\(ScanValues.authSecret)\";\n")
        try git(["add", "app/config.js"])
        try git(["commit", "-q", "-m", "config"])
        try write(sandbox, "notes.txt", "db: \(ScanValues.databaseURL)\n")
        try write(sandbox, "ignored/dump.txt", "\(ScanValues.authSecret)\n")
        let result = await sandbox.run(["scan"])
        #expect(result.code == 1)
        #expect(result.stdoutText == "app/config.js:2: BETTER_AUTH_SECRET (raw)\nnotes.txt:1: DATABASE_URL (raw)\n")
        #expect(result.errorMessage?.contains("found 2 places") == true, "\(result.stderr)")
        #expect(result.hints.contains { $0.contains("rotate") })
        ScanValues.expectNoValue(result.stdoutText + result.stderr, sandbox)
    }

    @Test("a folder named on the command line is scanned whole when git ignores it, by git's rules otherwise")
    func namedFolders() async throws {
        let (sandbox, _) = try await ScanValues.project()
        try write(sandbox, "ignored/dump.txt", "\(ScanValues.authSecret)\n")
        try write(sandbox, "docs/.env", "DATABASE_URL=\(ScanValues.databaseURL)\n")
        try write(sandbox, "docs/guide.md", "token: \(ScanValues.apiToken)\n")
        let ignored = await sandbox.run(["scan", "ignored"])
        #expect(ignored.stdoutText == "ignored/dump.txt:1: BETTER_AUTH_SECRET (raw)\n")
        let docs = await sandbox.run(["scan", "docs"])
        #expect(docs.stdoutText == "docs/guide.md:1: API_TOKEN (raw)\n", "docs/.env is ignored by .gitignore: \(docs.stdoutText)")
    }

    @Test("a clean tree exits 0 and says what it searched")
    func clean() async throws {
        let (sandbox, _) = try await ScanValues.project()
        try write(sandbox, "README.md", "nothing to see\n")
        let result = await sandbox.run(["scan"])
        result.expectSuccess()
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("clean: no value of the dev vault (3 values)"))
    }

    @Test("standard input, in an encoded form, with --json for tools")
    func stdinJSON() async throws {
        let (sandbox, _) = try await ScanValues.project()
        let encoded = Data(ScanValues.databaseURL.utf8).base64EncodedString()
        let result = await sandbox.run(["scan", "--stdin", "--json"], stdin: Array("line one\nDATABASE_URL: \(encoded)\n".utf8))
        #expect(result.code == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(object["clean"] as? Bool == false)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 1)
        #expect(findings.first?["path"] as? String == "-")
        #expect(findings.first?["line"] as? Int == 2)
        #expect(findings.first?["name"] as? String == "DATABASE_URL")
        #expect(findings.first?["form"] as? String == "base64")
        #expect(findings.first?["current"] as? Bool == true)
        ScanValues.expectNoValue(result.stdoutText + result.stderr, sandbox, extra: [encoded])
    }

    @Test("previous values are searched too, and short values are skipped with a count")
    func previousAndShort() async throws {
        let (sandbox, _) = try await ScanValues.project()
        try await sandbox.set("BETTER_AUTH_SECRET", "a-brand-new-secret-value-0123456789")
        try await sandbox.set("PORT", "8080")
        try write(sandbox, "old.env", "BETTER_AUTH_SECRET=\(ScanValues.authSecret)\n")
        let result = await sandbox.run(["scan", "old.env"])
        #expect(result.code == 1)
        #expect(result.stdoutText == "old.env:1: BETTER_AUTH_SECRET (raw; previous value v1)\n")
        #expect(result.stderr.contains("skipped 1 value shorter than 8 bytes"))
    }

    @Test("binary files are scanned; files above --max-file-size are skipped with a note")
    func binaryAndLimit() async throws {
        let (sandbox, _) = try await ScanValues.project()
        var binary: [UInt8] = (0..<1500).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        binary.insert(contentsOf: Array(ScanValues.apiToken.utf8), at: 1000)
        try sandbox.write(binary, to: sandbox.project + "/blob.bin", mode: 0o644)
        try write(sandbox, "big.txt", String(repeating: "x", count: 3000) + ScanValues.authSecret)
        let result = await sandbox.run(["scan", "blob.bin", "big.txt", "--max-file-size", "2K"])
        #expect(result.code == 1)
        #expect(result.stdoutText.hasPrefix("blob.bin:"))
        #expect(result.stdoutText.contains(": API_TOKEN (raw)"))
        #expect(!result.stdoutText.contains("big.txt"))
        #expect(result.stderr.contains("skipped big.txt: 3.0 KiB, above --max-file-size 2 KiB"), "\(result.stderr)")
    }

    @Test("--staged reads the index, not the work tree")
    func staged() async throws {
        let (sandbox, git) = try await ScanValues.project()
        try write(sandbox, "a.txt", "token: \(ScanValues.apiToken)\n")
        try git(["add", "a.txt"])
        try write(sandbox, "a.txt", "token: from the environment\n")
        try write(sandbox, "b.txt", "\(ScanValues.authSecret)\n")
        let result = await sandbox.run(["scan", "--staged"])
        #expect(result.code == 1)
        #expect(result.stdoutText == "a.txt:1: API_TOKEN (raw)\n")
        #expect(result.hints.contains { $0.contains("'git add' the file again") })
        try git(["add", "a.txt"])
        await sandbox.run(["scan", "--staged"]).expectSuccess()
        // The same contents at two staged paths: read once, reported at both.
        try write(sandbox, "c1.txt", "\(ScanValues.authSecret)\n")
        try write(sandbox, "c2.txt", "\(ScanValues.authSecret)\n")
        try git(["add", "c1.txt", "c2.txt"])
        let twice = await sandbox.run(["scan", "--staged"])
        #expect(twice.stdoutText == "c1.txt:1: BETTER_AUTH_SECRET (raw)\nc2.txt:1: BETTER_AUTH_SECRET (raw)\n")
    }

    @Test("--history finds a value that was committed and later removed, naming the commit")
    func history() async throws {
        let (sandbox, git) = try await ScanValues.project()
        try write(sandbox, "deploy/values.yaml", "image: app\nauth: \(ScanValues.authSecret)\n")
        try git(["add", "-A"])
        try git(["commit", "-q", "-m", "oops"])
        let commit = try git(["rev-parse", "HEAD"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        try git(["rm", "-q", "deploy/values.yaml"])
        try git(["commit", "-q", "-m", "remove it"])
        await sandbox.run(["scan"]).expectSuccess()
        let result = await sandbox.run(["scan", "--history"])
        #expect(result.code == 1)
        #expect(result.stdoutText == "\(commit.prefix(12)):deploy/values.yaml:2: BETTER_AUTH_SECRET (raw)\n")
        #expect(result.hints.contains { $0.contains("rotate") })
        ScanValues.expectNoValue(result.stdoutText + result.stderr, sandbox)
    }

    @Test("no vault is exit 66; a vault no key opens is exit 77, or a warning with --allow-locked")
    func noVault() async throws {
        let empty = try TestSandbox()
        _ = try ScanGit.repository(empty)
        await empty.run(["scan"]).expectFailure(.noInput, "no vault")

        let (sandbox, _) = try await ScanValues.project()
        let locked = await sandbox.run(["scan"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/elsewhere"])
        locked.expectFailure(.noKey, "no vault could be unlocked without a prompt")
        #expect(locked.errorMessage?.contains("dev: no key in hand unlocks") == true)
        let allowed = await sandbox.run(["scan", "--allow-locked"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/elsewhere"])
        #expect(allowed.code == 0)
        #expect(allowed.warnings.contains { $0.contains("nothing was scanned") })
    }

    @Test("usage errors: two sources at once, a bad size")
    func usage() async throws {
        let (sandbox, _) = try await ScanValues.project()
        #expect(await sandbox.run(["scan", "--staged", "--history"]).code == 64)
        #expect(await sandbox.run(["scan", "--max-file-size", "lots"]).code == 64)
    }
}
