import Foundation
import SecretctlCore
import Testing

/// `secretctl exec -- CMD ARGS...`: the built binary replaces itself with CMD, values in its
/// environment. (In-process runs cannot exec: that would replace the test runner.)
struct ExecCommandTests {
    static let databaseURL = "postgresql://todo:pg-pass-1234@db.neon.tech/todo?sslmode=require"
    static let tricky = "line1\nline2 $HOME \"q\" 'x' #h \\ end"

    private func sandboxWithValues() async throws -> TestSandbox {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("DATABASE_URL", Self.databaseURL)
        try await sandbox.set("OPENAI_API_KEY", "sk-test-abcdef123456")
        try await sandbox.set("TRICKY", Self.tricky)
        return sandbox
    }

    @Test func theChildSeesTheValuesInItsEnvironment() async throws {
        let sandbox = try await sandboxWithValues()
        // The comparison happens inside the child.
        let same = try sandbox.runBinary(["exec", "--", "sh", "-c", "test \"$DATABASE_URL\" = '\(Self.databaseURL)'"])
        #expect(same.code == 0, "stderr: \(same.stderr)")
        let different = try sandbox.runBinary(["exec", "--", "sh", "-c", "test \"$DATABASE_URL\" = 'something else'"])
        #expect(different.code == 1)
    }

    @Test func valuesArriveByteForByte() async throws {
        let sandbox = try await sandboxWithValues()
        let result = try sandbox.runBinary(["exec", "--", "sh", "-c", "printf '%s' \"$TRICKY\""])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == Self.tricky.utf8Bytes)
        #expect(result.stderr.isEmpty, "nothing to say:\n\(result.stderr)")
    }

    @Test(arguments: [0, 1, 7, 42, 255] as [Int32])
    func theExitCodeIsTheChilds(_ code: Int32) async throws {
        let sandbox = try await sandboxWithValues()
        let result = try sandbox.runBinary(["exec", "--", "sh", "-c", "exit \(code)"])
        #expect(result.code == code)
        #expect(result.stderr.isEmpty, "secretctl adds nothing to the child's exit:\n\(result.stderr)")
    }

    /// secretctl's worker threads block signals; the command must not inherit that mask, or
    /// Ctrl-C and SIGTERM would not stop it.
    @Test func signalsReachTheCommand() async throws {
        let sandbox = try await sandboxWithValues()
        let result = try sandbox.runBinary(["exec", "--", "sh", "-c", "kill -TERM $$; sleep 5; exit 3"])
        #expect(result.code == 128 + SIGTERM, "SIGTERM ended the command (the same process)")
        // grep inherits the shell's mask. (/proc/$$/status itself can show a stale mask for a
        // moment after an exec from a non-leader thread.)
        let mask = try sandbox.runBinary(["exec", "--", "sh", "-c", "grep '^SigBlk:' /proc/self/status"])
        #expect(mask.stdoutText == "SigBlk:\t0000000000000000\n")
    }

    @Test func onlyLimitsTheVariables() async throws {
        let sandbox = try await sandboxWithValues()
        let script = "printf '%s|%s|%s' \"${DATABASE_URL+set}\" \"${OPENAI_API_KEY+set}\" \"${TRICKY+set}\""
        let result = try sandbox.runBinary(["exec", "--only", "DATABASE_URL,TRICKY", "--", "sh", "-c", script])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stdoutText == "set||set")
    }

    @Test func vaultValuesOverrideInheritedOnesAndTheKeyIsWithheld() async throws {
        let sandbox = try await sandboxWithValues()
        let keyText = String(decoding: try sandbox.read(try sandbox.keyFile()).dropLast(), as: UTF8.self)
        let script = "printf '%s|%s|%s' \"$DATABASE_URL\" \"${SECRETCTL_KEY-unset}\" \"$KEEP_ME\""
        let result = try sandbox.runBinary(["exec", "--", "sh", "-c", script],
            environment: ["DATABASE_URL": "from-the-shell", "SECRETCTL_KEY": keyText, "KEEP_ME": "inherited"])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stdoutText == "\(Self.databaseURL)|unset|inherited")
    }

    /// Anything that unlocks more than the values handed over stays with secretctl: a personal
    /// identity opens every vault that lists its person, a key file's path leads to the key.
    @Test(arguments: [
        "SECRETCTL_KEY_FILE", "SECRETCTL_IDENTITY", "SECRETCTL_IDENTITY_FILE", "SECRETCTL_KEY", "SECRETCTL_PASSPHRASE",
        "SECRETCTL_LOCK_TIMEOUT",
    ])
    func noSecretctlVariableReachesTheChild(_ variable: String) async throws {
        let sandbox = try await sandboxWithValues()
        let keyFile = try sandbox.keyFile()
        let keyText = String(decoding: try sandbox.read(keyFile).dropLast(), as: UTF8.self)
        let values = [
            "SECRETCTL_KEY_FILE": keyFile, "SECRETCTL_KEY": keyText, "SECRETCTL_PASSPHRASE": "a passphrase here",
            "SECRETCTL_IDENTITY": "SECRETCTL-SECRET-KEY-1NOTAREALONE", "SECRETCTL_IDENTITY_FILE": sandbox.home + "/identity",
            "SECRETCTL_LOCK_TIMEOUT": "20",
        ]
        let result = try sandbox.runBinary(["exec", "--", "sh", "-c", "env | grep '^SECRETCTL_' | cut -d= -f1"],
            environment: [variable: try #require(values[variable])])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stdoutText == "", "these reached the child: \(result.stdoutText)")
    }

    @Test func namesThatAreNotEnvironmentVariablesAreSkippedWithAWarning() async throws {
        let sandbox = try await sandboxWithValues()
        try await sandbox.set("tls.crt", "cert-value-xyz")
        try await sandbox.set("NUL_INSIDE", [0x61, 0x00, 0x62])
        let result = try sandbox.runBinary(["exec", "--", "sh", "-c", "env | grep -c -e cert-value-xyz -e NUL_INSIDE= || true"])
        #expect(result.code == 0)
        #expect(result.stdoutText == "0\n", "neither entry reached the child")
        #expect(result.stderr.contains("secretctl: warning: skipped tls.crt"))
        #expect(result.stderr.contains("secretctl: warning: skipped NUL_INSIDE"))
    }

    @Test func valuesAreNotInTheChildsArguments() async throws {
        let sandbox = try await sandboxWithValues()
        let result = try sandbox.runBinary(["exec", "--", "sh", "-c", "tr '\\0' ' ' < /proc/$$/cmdline"])
        #expect(result.code == 0)
        #expect(result.stdoutText.hasPrefix("sh -c "), "the child's argv: \(result.stdoutText)")
        #expect(!result.stdout.contains(subsequence: Self.databaseURL.utf8Bytes))
    }

    /// No descriptor secretctl opened (vault, lock, key file) reaches the command.
    @Test func noDescriptorOfSecretctlReachesTheChild() async throws {
        let sandbox = try await sandboxWithValues()
        let result = try sandbox.runBinary(["exec", "--", "sh", "-c", "for fd in /proc/$$/fd/*; do readlink \"$fd\" || true; done"])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        let targets = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(!targets.isEmpty, "the listing worked")
        #expect(!targets.contains { $0.hasPrefix(sandbox.root) }, "open in the child: \(targets)")
    }

    @Test func standardInputReachesTheChild() async throws {
        let sandbox = try await sandboxWithValues()
        let result = try sandbox.runBinary(["exec", "--", "cat"], stdin: "piped through\n".utf8Bytes)
        #expect(result.code == 0)
        #expect(result.stdoutText == "piped through\n")
    }

    @Test func aCommandThatIsNotFoundExits127() async throws {
        let sandbox = try await sandboxWithValues()
        let result = try sandbox.runBinary(["exec", "--", "secretctl-no-such-command-xyz"])
        #expect(result.code == 127)
        #expect(result.stderr.hasPrefix("secretctl: error: secretctl-no-such-command-xyz: command not found"))
        #expect(result.stdout.isEmpty)
        let byPath = try sandbox.runBinary(["exec", "--", sandbox.root + "/missing-tool"])
        #expect(byPath.code == 127)
    }

    @Test func aFileThatCannotRunExits126() async throws {
        let sandbox = try await sandboxWithValues()
        try sandbox.write("#!/bin/sh\necho hi\n".utf8Bytes, to: sandbox.project + "/not-executable.sh", mode: 0o644)
        let result = try sandbox.runBinary(["exec", "--", "./not-executable.sh"])
        #expect(result.code == 126)
        #expect(result.stderr.hasPrefix("secretctl: error: cannot run ./not-executable.sh: permission denied"))
        let folder = try sandbox.runBinary(["exec", "--", sandbox.secrets])
        #expect(folder.code == 126, "a folder cannot run")
    }

    @Test func aScriptWithoutAShebangRunsWithTheShellLikeExecvp() async throws {
        let sandbox = try await sandboxWithValues()
        try sandbox.write("printf '%s' \"$OPENAI_API_KEY\"\n".utf8Bytes, to: sandbox.project + "/plain-script", mode: 0o755)
        let result = try sandbox.runBinary(["exec", "--", "./plain-script"])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stdoutText == "sk-test-abcdef123456")
    }

    @Test func aValueTooLargeForTheEnvironmentIsAClearError() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("HUGE", String(repeating: "x", count: 200_000))
        let result = try sandbox.runBinary(["exec", "--", "true"])
        #expect(result.code == 126)
        #expect(result.stderr.contains("the environment is too large"), "\(result.stderr)")
        #expect(result.stderr.contains("--only"))
    }

    // MARK: - Refusals before anything runs (in-process)

    @Test func aCommandIsRequired() async throws {
        let sandbox = try await sandboxWithValues()
        await sandbox.run(["exec"]).expectFailure(.usage, "needs a command after '--'")
        await sandbox.run(["exec", "--"]).expectFailure(.usage, "needs a command after '--'")
    }

    @Test func unknownNamesInOnlyAreRefusedBeforeRunning() async throws {
        let sandbox = try await sandboxWithValues()
        let result = try sandbox.runBinary(["exec", "--only", "NOPE", "--", "sh", "-c", "echo ran"])
        #expect(result.code == ExitCode.failure.rawValue)
        #expect(result.stdout.isEmpty, "the command did not run")
        #expect(result.stderr.contains("no entry named NOPE"))
    }

    @Test func withoutAVaultNothingRuns() async throws {
        let sandbox = try TestSandbox()
        let result = try sandbox.runBinary(["exec", "--", "sh", "-c", "echo ran"])
        #expect(result.code == ExitCode.noInput.rawValue)
        #expect(result.stdout.isEmpty)
    }

    @Test func inProcessRunsRefuseToReplaceTheTestRunner() async throws {
        let sandbox = try await sandboxWithValues()
        await sandbox.run(["exec", "--", "true"]).expectFailure(.system, "runs only from the secretctl binary")
    }
}
