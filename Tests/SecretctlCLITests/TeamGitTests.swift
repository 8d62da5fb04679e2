import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// `secretctl git setup` and the diff/merge drivers, on real git repositories with two
/// branches. git starts the built binary, so these tests need it (see `BuiltBinary`).
@Suite("Team: git diff and merge drivers on real repositories", .serialized)
struct TeamGitTests {
    struct Git {
        let sandbox: TestSandbox

        /// Runs git in the project with the sandbox's environment (no system or global config).
        @discardableResult
        func callAsFunction(_ arguments: [String], expect expected: Int32? = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> (code: Int32, stdout: String, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git"] + arguments
            process.environment = sandbox.processEnvironment(["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_PAGER": "cat"])
            process.currentDirectoryURL = URL(fileURLWithPath: sandbox.project)
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if let expected {
                try #require(process.terminationStatus == expected, "git \(arguments.joined(separator: " ")) exited \(process.terminationStatus):\n\(stderr)", sourceLocation: sourceLocation)
            }
            return (process.terminationStatus, stdout, stderr)
        }
    }

    static let path = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]

    /// A repository with a vault (A, B), `git setup` done with the built binary, one commit on main.
    static func repository(sourceLocation: SourceLocation = #_sourceLocation) async throws -> (TestSandbox, Git) {
        let binary = try BuiltBinary.require(sourceLocation: sourceLocation)
        let sandbox = try TestSandbox()
        let git = Git(sandbox: sandbox)
        try git(["init", "-q", "-b", "main"])
        try git(["config", "user.name", "Test"])
        try git(["config", "user.email", "test@example.com"])
        try await sandbox.initVault()
        try await sandbox.set("A", "alpha-value-1")
        try await sandbox.set("B", "bravo-value-1")
        let setup = await sandbox.run(["git", "setup", "--command", binary], environment: path)
        setup.expectSuccess()
        try git(["add", "-A"])
        try git(["commit", "-q", "-m", "base"])
        return (sandbox, git)
    }

    static func value(_ sandbox: TestSandbox, _ name: String) async throws -> String {
        String(decoding: try await sandbox.get(name), as: UTF8.self)
    }

    @Test("setup writes one attributes line and the repository's driver config; running it again changes nothing")
    func setupIsIdempotent() async throws {
        let (sandbox, git) = try await Self.repository()
        await sandbox.run(["git", "setup", "--command", try BuiltBinary.require()], environment: Self.path).expectSuccess()
        let attributes = String(decoding: try sandbox.read(sandbox.project + "/.gitattributes"), as: UTF8.self)
        #expect(attributes.components(separatedBy: "secrets/*.vault diff=secretctl merge=secretctl -text\n").count == 2, "exactly one line")
        #expect(try git(["config", "--get", "diff.secretctl.textconv"]).stdout.hasSuffix(" git textconv\n"))
        #expect(try git(["config", "--get", "merge.secretctl.driver"]).stdout.hasSuffix(" git merge %O %A %B %P\n"))
        #expect(try git(["check-attr", "diff", "merge", "--", "secrets/dev.vault"]).stdout
            == "secrets/dev.vault: diff: secretctl\nsecrets/dev.vault: merge: secretctl\n")
    }

    @Test("git diff and git log -p show names, versions and times, never values")
    func diffShowsEntries() async throws {
        let (sandbox, git) = try await Self.repository()
        try await sandbox.set("A", "alpha-value-2")
        try await sandbox.set("C", "charlie-value-1")
        let diff = try git(["diff"]).stdout
        #expect(diff.contains("\n-A  v1  "), "the old version line")
        #expect(diff.contains("\n+A  v2  "), "the new version line")
        #expect(diff.contains("\n+C  v1  "))
        #expect(!diff.contains("\n-B") && !diff.contains("\n+B"), "an unchanged entry is context, not a change:\n\(diff)")
        try git(["commit", "-q", "-am", "change A, add C"])
        let log = try git(["log", "-p"]).stdout
        #expect(log.contains("# secretctl vault "))
        for value in ["alpha-value-1", "alpha-value-2", "bravo-value-1", "charlie-value-1"] {
            #expect(!log.contains(value) && !diff.contains(value), "no value in git output")
        }
        // Lines look exactly like `NAME  vN  2026-11-26T10:00:00Z`.
        let entryLines = log.split(separator: "\n").filter { $0.hasPrefix("+A  ") || $0.hasPrefix("+C  ") }
        #expect(!entryLines.isEmpty && entryLines.allSatisfy { line in
            let parts = line.dropFirst().components(separatedBy: "  ")
            return parts.count == 3 && parts[1].hasPrefix("v") && parts[2].count == 20 && parts[2].hasSuffix("Z")
        })
    }

    @Test("without a key, the text converter shows the header and says the entries are hidden")
    func textconvWithoutKey() async throws {
        let (sandbox, _) = try await Self.repository()
        let result = await sandbox.run(["git", "textconv", "secrets/dev.vault"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/nobody"])
        result.expectSuccess()
        #expect(result.stdoutText.hasPrefix("# secretctl vault "))
        #expect(result.stdoutText.contains("# (entries not shown: no key in hand opens this vault)\n"))
        #expect(!result.stdoutText.contains("A  v1"))
    }

    @Test("different entries changed on two branches merge cleanly into one re-encrypted vault")
    func cleanMerge() async throws {
        let (sandbox, git) = try await Self.repository()
        try git(["checkout", "-q", "-b", "feature"])
        try await sandbox.set("B", "bravo-value-2")
        try await sandbox.set("C", "charlie-value-1")
        try git(["commit", "-q", "-am", "feature: B, C"])
        try git(["checkout", "-q", "main"])
        try await sandbox.set("A", "alpha-value-2")
        try git(["commit", "-q", "-am", "main: A"])

        let merge = try git(["merge", "--no-edit", "feature"], expect: nil)
        #expect(merge.code == 0, "git merge: \(merge.stdout)\n\(merge.stderr)")
        #expect(try git(["status", "--porcelain"]).stdout.isEmpty, "nothing left to resolve")
        #expect(try await Self.value(sandbox, "A") == "alpha-value-2")
        #expect(try await Self.value(sandbox, "B") == "bravo-value-2")
        #expect(try await Self.value(sandbox, "C") == "charlie-value-1")
        let list = await sandbox.run(["list"])
        #expect(list.stdoutText.contains("A  v2") && list.stdoutText.contains("C  v1"))
        _ = try VaultFile.parse(try sandbox.read(sandbox.vaultPath()))
    }

    @Test("the same entry changed on both branches is a conflict by name; ours is left untouched")
    func conflictingMerge() async throws {
        let (sandbox, git) = try await Self.repository()
        try git(["checkout", "-q", "-b", "feature"])
        try await sandbox.set("A", "alpha-theirs")
        try await sandbox.set("C", "charlie-value-1")
        try git(["commit", "-q", "-am", "feature: A"])
        try git(["checkout", "-q", "main"])
        try await sandbox.set("A", "alpha-ours")
        try git(["commit", "-q", "-am", "main: A"])
        let ours = try sandbox.read(sandbox.vaultPath())

        let merge = try git(["merge", "--no-edit", "feature"], expect: nil)
        #expect(merge.code != 0, "the merge must fail")
        #expect(merge.stderr.contains("merge conflict in secrets/dev.vault: both branches changed A differently"), "\(merge.stderr)")
        #expect(!merge.stderr.contains("alpha-") && !merge.stdout.contains("alpha-"), "no value in the messages")
        #expect(try sandbox.read(sandbox.vaultPath()) == ours, "the work tree keeps our vault byte for byte")
        #expect(try git(["status", "--porcelain"]).stdout.contains("UU secrets/dev.vault"))
        #expect(try await Self.value(sandbox, "A") == "alpha-ours")
    }

    @Test("a recipient added on one branch and an entry changed on the other both survive the merge")
    func unlockersMerge() async throws {
        let (sandbox, git) = try await Self.repository()
        let bob = await sandbox.run(["keygen"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/bob"])
        bob.expectSuccess()
        try git(["checkout", "-q", "-b", "add-bob"])
        await sandbox.run(["recipients", "add", "bob", String(bob.stdoutText.dropLast())]).expectSuccess()
        try git(["commit", "-q", "-am", "add bob"])
        try git(["checkout", "-q", "main"])
        try await sandbox.set("A", "alpha-value-2")
        try git(["commit", "-q", "-am", "main: A"])

        let merge = try git(["merge", "--no-edit", "add-bob"], expect: nil)
        #expect(merge.code == 0, "git merge: \(merge.stderr)")
        let asBob = await sandbox.run(["get", "A"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/bob"])
        asBob.expectSuccess()
        #expect(asBob.stdoutText == "alpha-value-2", "bob opens the merged vault and sees main's change")
    }
}
