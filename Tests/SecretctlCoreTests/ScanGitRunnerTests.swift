import Foundation
import SecretctlCore
import Testing

/// What git is given when secretctl runs it.
struct ScanGitRunnerTests {
    @Test("git's environment leaves out SECRETCTL_* (keys and passphrases) and keeps the rest")
    func environment() async throws {
        let variables = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": NSTemporaryDirectory(),
            "SECRETCTL_KEY": "c2VjcmV0Y3RsLXRlc3Qta2V5LXRoYXQtbXVzdC1ub3QtbGVhaw==",
            "SECRETCTL_PASSPHRASE": "correct horse battery staple",
            "KEEP_ME": "visible",
        ]
        let git = GitRunner(environment: ProcessEnvironment(variables: variables, workingDirectory: NSTemporaryDirectory()))
        // An alias starting with ! runs a shell command: here `env`, which prints what git passed on.
        let output = try await git.run(["-c", "alias.showenv=!env", "showenv"], in: NSTemporaryDirectory())
        #expect(output.succeeded, "\(output.stderr)")
        #expect(output.text.contains("KEEP_ME=visible"))
        #expect(!output.text.contains("SECRETCTL_"))
        #expect(!output.text.contains("correct horse"))
    }

    @Test("a missing git is a clear error")
    func missingGit() async {
        let git = GitRunner(environment: ProcessEnvironment(variables: ["PATH": "/nonexistent"], workingDirectory: "/"))
        await #expect(throws: SecretctlError.self) { try await git.run(["--version"], in: "/") }
    }
}
