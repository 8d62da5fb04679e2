import Foundation
import SecretctlCore
import Testing

/// `secretctl guard`: the installed hook run by real `git commit`s, with the built binary.
@Suite("guard: the pre-commit hook in real repositories")
struct GuardHookTests {
    /// One way a value gets into a file.
    struct Leak: Sendable, CustomTestStringConvertible {
        var label: String
        var file: String
        var name: String
        var text: String
        /// The encoded value as written, which must not be printed either.
        var written: String
        var form: String
        var testDescription: String { label }
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// A dotenv backup, base64'd and wrapped at 76 columns like `base64`, with the value at
    /// byte offset `alignment` (mod 3) of the encoded data.
    static func blob(alignment: Int) -> Leak {
        var head = "# env backup\nAPP=todo\n"
        while (head.utf8.count + "DATABASE_URL=".utf8.count) % 3 != alignment { head += "#" }
        let data = head + "DATABASE_URL=" + ScanValues.databaseURL + "\nLOG_LEVEL=info\nFEATURE_FLAGS=a,b,c\n"
        let encoded = base64(data)
        let wrapped = stride(from: 0, to: encoded.count, by: 76).map { start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            return String(encoded[from..<(encoded.index(from, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }.joined(separator: "\n")
        return Leak(label: "base64 blob, alignment \(alignment)", file: "backup/env-\(alignment).b64", name: "DATABASE_URL",
            text: wrapped + "\n", written: encoded, form: "base64")
    }

    static var leaks: [Leak] {
        let percent = ScanValues.databaseURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let encoder = JSONEncoder()
        let json = String(decoding: try! encoder.encode(["token": ScanValues.apiToken]), as: UTF8.self)
        return [
            Leak(label: "raw", file: "config/app.env.example", name: "BETTER_AUTH_SECRET",
                text: "PORT=3000\nBETTER_AUTH_SECRET=\(ScanValues.authSecret)\n", written: ScanValues.authSecret, form: "raw"),
            Leak(label: "base64 (a Secret's data)", file: "k8s/secret.yaml", name: "BETTER_AUTH_SECRET",
                text: "apiVersion: v1\nkind: Secret\ndata:\n  BETTER_AUTH_SECRET: \(base64(ScanValues.authSecret))\n",
                written: base64(ScanValues.authSecret), form: "base64"),
            blob(alignment: 0), blob(alignment: 1), blob(alignment: 2),
            Leak(label: "URL-encoded", file: "docs/connect.md", name: "DATABASE_URL",
                text: "Open https://admin.example/setup?db=\(percent) to connect.\n", written: percent, form: "percent-encoded"),
            Leak(label: "JSON-escaped", file: "config/app.json", name: "API_TOKEN",
                text: json + "\n", written: String(json.dropFirst(10).dropLast(2)), form: "JSON"),
        ]
    }

    static func write(_ sandbox: TestSandbox, _ relative: String, _ text: String) throws {
        let path = sandbox.project + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try sandbox.write(Array(text.utf8), to: path, mode: 0o644)
    }

    /// A project with the three values, a repository, and the guard installed with the built binary.
    static func guarded(_ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> (TestSandbox, ScanGit) {
        let binary = try BuiltBinary.require(sourceLocation: sourceLocation)
        let (sandbox, git) = try await ScanValues.project(sourceLocation: sourceLocation)
        await sandbox.run(["guard", "install", "--binary", binary] + extra, sourceLocation: sourceLocation).expectSuccess(sourceLocation: sourceLocation)
        return (sandbox, git)
    }

    static func commitCount(_ git: ScanGit) throws -> Int {
        Int(try git(["rev-list", "--count", "HEAD"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("each form of a value is blocked, naming the key and the file, never printing the value", arguments: leaks)
    func blocks(_ leak: Leak) async throws {
        let (sandbox, git) = try await Self.guarded()
        try Self.write(sandbox, leak.file, leak.text)
        try git(["add", leak.file])
        let before = try Self.commitCount(git)
        let commit = try git(["commit", "-m", "add \(leak.file)"], expect: nil)
        #expect(commit.code == 1, "the commit must fail:\n\(commit.stderr)")
        #expect(try Self.commitCount(git) == before, "no commit was made")
        let output = commit.stdoutText + commit.stderr
        #expect(output.contains("\(leak.file):"), "names the file:\n\(output)")
        #expect(output.contains(": \(leak.name) (\(leak.form)"), "names the key and the form:\n\(output)")
        #expect(output.contains("commit blocked"))
        #expect(output.contains("rotate"), "says to rotate a value that was pushed")
        ScanValues.expectNoValue(output, sandbox, extra: [leak.written])
    }

    @Test("commit -a and a partial commit are checked too (git's temporary index)", arguments: [["commit", "-a", "-m", "all"], ["commit", "-m", "partial", "--", "app.env"]])
    func temporaryIndex(_ command: [String]) async throws {
        let (sandbox, git) = try await Self.guarded()
        try Self.write(sandbox, "app.env", "PORT=3000\n")
        try git(["add", "app.env"])
        try git(["commit", "-q", "-m", "app"])
        try Self.write(sandbox, "app.env", "PORT=3000\nOPENAI=\(ScanValues.apiToken)\n")
        let commit = try git(command, expect: nil)
        #expect(commit.code == 1, "\(commit.stderr)")
        #expect(commit.stdoutText.contains("app.env:2: API_TOKEN (raw)") || commit.stderr.contains("app.env:2: API_TOKEN (raw)"))
    }

    @Test("a clean commit passes quietly")
    func cleanCommit() async throws {
        let (sandbox, git) = try await Self.guarded()
        try Self.write(sandbox, "src/app.ts", "export const port = Number(process.env.PORT ?? 3000);\n")
        try git(["add", "src/app.ts"])
        let commit = try git(["commit", "-q", "-m", "app"])
        #expect(!commit.stderr.contains("secretctl"), "nothing to say on a clean commit:\n\(commit.stderr)")
        #expect(try Self.commitCount(git) == 2)
    }

    @Test("an existing hook is kept, chained and restored; install is idempotent")
    func chaining() async throws {
        let binary = try BuiltBinary.require()
        let (sandbox, git) = try await ScanValues.project()
        let hooks = sandbox.project + "/.git/hooks"
        let previous = Array("#!/bin/sh\necho previous-hook-ran >&2\n".utf8)
        try sandbox.write(previous, to: hooks + "/pre-commit", mode: 0o755)
        let first = await sandbox.run(["guard", "install", "--binary", binary])
        first.expectSuccess()
        #expect(first.stderr.contains("kept as"))
        let installed = try sandbox.read(hooks + "/pre-commit")
        let second = await sandbox.run(["guard", "install", "--binary", binary])
        second.expectSuccess()
        #expect(second.stderr.contains("already installed"))
        #expect(try sandbox.read(hooks + "/pre-commit") == installed, "a second install writes the same hook")
        #expect(try sandbox.read(hooks + "/" + GuardHook.chainedName) == previous, "the old hook is kept byte for byte")

        try Self.write(sandbox, "ok.txt", "fine\n")
        try git(["add", "ok.txt"])
        let commit = try git(["commit", "-m", "ok"])
        #expect(commit.stderr.contains("previous-hook-ran"), "the chained hook runs")

        await sandbox.run(["guard", "uninstall"]).expectSuccess()
        #expect(try sandbox.read(hooks + "/pre-commit") == previous, "uninstall puts the old hook back")
        #expect(!sandbox.exists(hooks + "/" + GuardHook.chainedName))
        let again = await sandbox.run(["guard", "uninstall"])
        again.expectSuccess()
        #expect(again.stderr.contains("not installed"))
    }

    @Test("a failing chained hook stops the commit before the scan")
    func chainedFailure() async throws {
        let binary = try BuiltBinary.require()
        let (sandbox, git) = try await ScanValues.project()
        try sandbox.write(Array("#!/bin/sh\nexit 3\n".utf8), to: sandbox.project + "/.git/hooks/pre-commit", mode: 0o755)
        await sandbox.run(["guard", "install", "--binary", binary]).expectSuccess()
        try Self.write(sandbox, "ok.txt", "fine\n")
        try git(["add", "ok.txt"])
        #expect(try git(["commit", "-m", "ok"], expect: nil).code != 0)
    }

    @Test("core.hooksPath is respected")
    func hooksPath() async throws {
        let binary = try BuiltBinary.require()
        let (sandbox, git) = try await ScanValues.project()
        try git(["config", "core.hooksPath", ".githooks"])
        await sandbox.run(["guard", "install", "--binary", binary]).expectSuccess()
        #expect(sandbox.exists(sandbox.project + "/.githooks/pre-commit"))
        #expect(!sandbox.exists(sandbox.project + "/.git/hooks/pre-commit"))
        let status = await sandbox.run(["guard", "status"])
        #expect(status.code == 0)
        #expect(status.stdoutText.contains(".githooks/pre-commit"))
        try Self.write(sandbox, "leak.txt", ScanValues.authSecret + "\n")
        try git(["add", "leak.txt"])
        #expect(try git(["commit", "-m", "leak"], expect: nil).code == 1)
    }

    @Test("without a key the hook warns and lets the commit through; --strict blocks it", arguments: [false, true])
    func locked(strict: Bool) async throws {
        let (sandbox, git) = try await Self.guarded(strict ? ["--strict"] : [])
        try Self.write(sandbox, "leak.txt", ScanValues.authSecret + "\n")
        try git(["add", "leak.txt"])
        let commit = try git(["commit", "-m", "locked"], expect: nil, environment: ["XDG_CONFIG_HOME": sandbox.root + "/no-keys"])
        #expect(commit.code == (strict ? 1 : 0), "\(commit.stderr)")
        #expect(commit.stderr.contains(strict ? "commit blocked" : "NOT checked"))
        ScanValues.expectNoValue(commit.stdoutText + commit.stderr, sandbox)
    }

    @Test("status says whether the hook is there")
    func status() async throws {
        let (sandbox, _) = try await ScanValues.project()
        let missing = await sandbox.run(["guard", "status"])
        #expect(missing.code == 1)
        #expect(missing.stdoutText.hasPrefix("not installed"))
        await sandbox.run(["guard", "install"]).expectSuccess()
        let present = await sandbox.run(["guard", "status"])
        #expect(present.code == 0)
        #expect(present.stdoutText.contains("secretctl (from PATH)"), "in-process, the test runner is not secretctl: \(present.stdoutText)")
    }
}
