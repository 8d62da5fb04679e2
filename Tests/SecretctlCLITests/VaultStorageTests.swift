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
        #expect(initialized.stdout.isEmpty)
        #expect(sandbox.mode(sandbox.vaultPath()) == 0o600)
        #expect(sandbox.mode(try sandbox.keyFile()) == 0o600)

        sandbox.remember("piped-through-a-real-pipe".utf8Bytes)
        try sandbox.runBinary(["set", "PIPED"], stdin: "piped-through-a-real-pipe\n".utf8Bytes).expectSuccess()
        #expect(sandbox.mode(sandbox.vaultPath()) == 0o600)
        let got = try sandbox.runBinary(["get", "PIPED"])
        got.expectSuccess()
        #expect(got.stdout == "piped-through-a-real-pipe".utf8Bytes, "stdout is a file, not a terminal: no newline")

        let missing = try sandbox.runBinary(["get", "ABSENT"])
        missing.expectFailure(.failure, "no entry named ABSENT")
    }

    /// Even with a permissive umask, vault, key file and key folder stay private.
    @Test func modesHoldUnderUmask000() async throws {
        let sandbox = try TestSandbox()
        let binary = try BuiltBinary.require()
        let script = "umask 000 && \"$0\" init && printf 'umask-value' | \"$0\" set UMASK && \"$0\" generate GEN"
        let shell = try RunningProcess(executable: "/bin/sh", arguments: ["-c", script, binary],
            environment: sandbox.processEnvironment(), workingDirectory: sandbox.project, stdin: nil)
        shell.finish().expectSuccess()
        sandbox.remember("umask-value".utf8Bytes)
        #expect(sandbox.mode(sandbox.vaultPath()) == 0o600)
        #expect(sandbox.mode(try sandbox.keyFile()) == 0o600)
        #expect(sandbox.mode(sandbox.keysFolder) == 0o700)
        #expect(sandbox.mode(sandbox.vaultPath() + ".lock") == 0o600)
    }

    @Test func theVaultStaysMode0600AfterEveryWrite() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let vault = sandbox.vaultPath()
        // Someone loosened it by hand: the next write makes it private again.
        #expect(chmod(vault, 0o644) == 0)
        let steps: [([String], [UInt8], [String: String])] = [
            (["set", "A"], "mode-value-1".utf8Bytes, [:]),
            (["set", "A"], "mode-value-2".utf8Bytes, [:]),
            (["generate", "G"], [], [:]),
            (["rotate", "G"], [], [:]),
            (["rollback", "A"], [], [:]),
            (["rm", "A"], [], [:]),
            (["passphrase", "add", "--scrypt-work-factor", "10"], [], ["SECRETCTL_PASSPHRASE": "mode passphrase"]),
            (["rekey"], [], ["SECRETCTL_PASSPHRASE": "mode passphrase"]),
            (["passphrase", "rm"], [], [:]),
        ]
        sandbox.remember("mode-value-1".utf8Bytes)
        sandbox.remember("mode-value-2".utf8Bytes)
        for (arguments, stdin, environment) in steps {
            let before = try sandbox.read(vault)
            await sandbox.run(arguments, stdin: stdin, environment: environment).expectSuccess()
            #expect(sandbox.mode(vault) == 0o600, "after \(arguments)")
            #expect(try sandbox.read(vault) != before, "\(arguments) wrote a new file (fresh nonce)")
            #expect(sandbox.allFiles.allSatisfy { !$0.contains(".tmp-") }, "no temp file left after \(arguments)")
        }
    }

    // MARK: - Locking

    @Test func aHeldLockMakesAWriterWaitThenExit75() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("TOKEN", "before-the-lock")
        let lock = sandbox.vaultPath() + ".lock"
        let holder = try await sandbox.holdLock(lock)
        defer { holder.stop() }
        let before = try sandbox.read(sandbox.vaultPath())

        let clock = ContinuousClock()
        let start = clock.now
        let result = await sandbox.run(["set", "TOKEN"], stdin: "during-the-lock\n".utf8Bytes, environment: ["SECRETCTL_LOCK_TIMEOUT": "1"])
        let waited = clock.now - start
        result.expectFailure(.lockTimeout, "another secretctl process is writing \(sandbox.vaultPath())", hint: "SECRETCTL_LOCK_TIMEOUT")
        #expect(result.errorMessage?.contains("gave up after 1 s") == true)
        #expect(waited >= .milliseconds(950), "the writer waited for the timeout (\(waited))")
        #expect(waited < .seconds(10))
        #expect(try sandbox.read(sandbox.vaultPath()) == before)

        // The real binary too, and every kind of writer.
        let writers = [["set", "TOKEN"], ["rm", "TOKEN"], ["generate", "NEW"], ["rollback", "TOKEN"], ["passphrase", "rm"], ["rekey"]]
        for (index, arguments) in writers.enumerated() {
            let timeout = index == 0 ? "1" : "0.2"
            let binary = try sandbox.runBinary(arguments, stdin: "during-the-lock\n".utf8Bytes, environment: ["SECRETCTL_LOCK_TIMEOUT": timeout])
            binary.expectFailure(.lockTimeout, "another secretctl process is writing")
        }
        #expect(try sandbox.read(sandbox.vaultPath()) == before)
        #expect(!sandbox.exists(try sandbox.keyFile() + ".new"), "a rekey that never got the lock leaves no key behind")

        // Readers do not take the lock.
        #expect(try await sandbox.get("TOKEN") == "before-the-lock".utf8Bytes)
        await sandbox.run(["list"]).expectSuccess()
    }

    @Test func aWriterWaitsForAShortLockAndThenWrites() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let lock = sandbox.vaultPath() + ".lock"
        let holder = try await sandbox.holdLock(lock, releaseAfter: 1)
        defer { holder.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        sandbox.remember("after-the-wait".utf8Bytes)
        let result = await sandbox.run(["set", "WAITED"], stdin: "after-the-wait".utf8Bytes, environment: ["SECRETCTL_LOCK_TIMEOUT": "15"])
        result.expectSuccess()
        #expect(clock.now - start >= .milliseconds(300), "it had to wait for flock to let go")
        #expect(try await sandbox.get("WAITED") == "after-the-wait".utf8Bytes)
    }

    @Test func concurrentWritersLoseNothing() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let binary = try BuiltBinary.require()
        let workers = 8
        let rounds = 5
        // Each worker is one shell running `rounds` pairs of writes, one after the other:
        // a name of its own, and one shared entry that everybody bumps.
        let script = """
            i=1
            while [ $i -le \(rounds) ]; do
              printf 'value-w%s-%s' "$1" "$i" | "$0" set "W$1_$i" || exit 1
              printf 'shared-w%s-%s' "$1" "$i" | "$0" set SHARED || exit 1
              i=$((i + 1))
            done
            """
        var running: [RunningProcess] = []
        for worker in 1...workers {
            running.append(try RunningProcess(executable: "/bin/sh", arguments: ["-c", script, binary, String(worker)],
                environment: sandbox.processEnvironment(["SECRETCTL_LOCK_TIMEOUT": "60"]), workingDirectory: sandbox.project, stdin: nil))
        }
        for process in running {
            let result = process.finish()
            #expect(result.code == 0, "a writer failed:\n\(result.stderr)")
        }

        let listed = await sandbox.run(["list", "--json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout)) as? [[String: Any]])
        #expect(entries.count == workers * rounds + 1, "every distinct write survived")
        for worker in 1...workers {
            for round in 1...rounds {
                #expect(try await sandbox.get("W\(worker)_\(round)") == "value-w\(worker)-\(round)".utf8Bytes)
            }
        }
        let shared = try #require(entries.first { $0["name"] as? String == "SHARED" })
        #expect(shared["version"] as? Int == workers * rounds, "no update of the shared entry was lost")
        #expect(sandbox.mode(sandbox.vaultPath()) == 0o600)
        #expect(sandbox.allFiles.allSatisfy { !$0.contains(".tmp-") })
    }

    /// Racing `init`s: one vault, and the losers take their key files back with them.
    @Test func concurrentInitsMakeOneVaultAndOneKeyFile() async throws {
        let sandbox = try TestSandbox()
        let racers = try (1...4).map { _ in try sandbox.startBinary(["init"]) }
        let results = racers.map { $0.finish() }
        #expect(results.filter { $0.code == 0 }.count == 1, "\(results.map(\.stderr))")
        for loser in results where loser.code != 0 {
            loser.expectFailure(.failure, "already exists")
        }
        #expect(sandbox.keyFiles.count == 1)
        #expect(try sandbox.keyFile() == (try sandbox.defaultKeyPath(sandbox.vaultPath())), "the key left is the one that opens the vault")
        await sandbox.run(["list"]).expectSuccess()
    }

    // MARK: - Temp files

    @Test func aStrayTempFileIsIgnoredByReadersAndRemovedByTheNextWriter() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("KEPT", "kept-through-a-crash")
        let stray = sandbox.secrets + "/.dev.vault.tmp-0123456789abcdef"
        let otherVaults = sandbox.secrets + "/.staging.vault.tmp-0123456789abcdef"
        try sandbox.write("half-written garbage".utf8Bytes, to: stray)
        try sandbox.write("another vault's write".utf8Bytes, to: otherVaults)

        #expect(try await sandbox.get("KEPT") == "kept-through-a-crash".utf8Bytes)
        await sandbox.run(["list"]).expectSuccess()
        #expect(sandbox.exists(stray), "readers leave it alone")

        try await sandbox.set("NEXT", "next-write")
        #expect(!sandbox.exists(stray), "the next writer removed it under the lock")
        #expect(sandbox.exists(otherVaults), "another vault's temp file is not this writer's business")
        #expect(try await sandbox.get("KEPT") == "kept-through-a-crash".utf8Bytes)
    }

    @Test func aLeftoverTempFileAloneIsNotAVault() async throws {
        let sandbox = try TestSandbox()
        try sandbox.write("secretctl-vault/v1\n".utf8Bytes, to: sandbox.secrets + "/.dev.vault.tmp-aaaaaaaaaaaaaaaa")
        await sandbox.run(["list"]).expectFailure(.noInput, "no vault", hint: "secretctl init")
    }

    // MARK: - Which vault

    @Test func theProjectRootIsTheNearestFolderWithSecrets() async throws {
        let sandbox = try TestSandbox()
        let deep = sandbox.project + "/app/src/lib"
        try sandbox.makeFolder(deep)
        await sandbox.run(["init"], workingDirectory: deep).expectSuccess()
        #expect(sandbox.exists(sandbox.vaultPath()))
        #expect(!sandbox.exists(deep + "/secrets"))
        sandbox.remember("found-from-below".utf8Bytes)
        await sandbox.run(["set", "FROM_BELOW"], stdin: "found-from-below".utf8Bytes, workingDirectory: deep).expectSuccess()
        #expect(try await sandbox.get("FROM_BELOW") == "found-from-below".utf8Bytes)

        // A nearer secrets/ folder wins.
        let service = sandbox.project + "/services/api"
        try sandbox.makeFolder(service + "/secrets")
        try sandbox.makeFolder(service + "/cmd")
        await sandbox.run(["init"], workingDirectory: service + "/cmd").expectSuccess()
        #expect(sandbox.exists(service + "/secrets/dev.vault"))
        await sandbox.run(["get", "FROM_BELOW"], workingDirectory: service + "/cmd").expectFailure(.failure, "no entry named FROM_BELOW in \(service)/secrets/dev.vault")
    }

    @Test(arguments: [true, false])
    func withoutSecretsTheGitTopLevelIsTheRoot(gitIsAFile: Bool) async throws {
        let sandbox = try TestSandbox(secretsFolder: false)
        if gitIsAFile {
            try sandbox.write("gitdir: /elsewhere\n".utf8Bytes, to: sandbox.project + "/.git")  // a worktree
        } else {
            try sandbox.makeFolder(sandbox.project + "/.git")
        }
        let deep = sandbox.project + "/a/b"
        try sandbox.makeFolder(deep)
        await sandbox.run(["init"], workingDirectory: deep).expectSuccess()
        #expect(sandbox.exists(sandbox.vaultPath()))
        #expect(!sandbox.exists(deep + "/secrets"))
    }

    @Test func withNeitherTheWorkingDirectoryIsTheRoot() async throws {
        let sandbox = try TestSandbox(secretsFolder: false)
        let loose = sandbox.root + "/loose/folder"
        try sandbox.makeFolder(loose)
        await sandbox.run(["init"], workingDirectory: loose).expectSuccess()
        #expect(sandbox.exists(loose + "/secrets/dev.vault"))
        #expect(!sandbox.exists(sandbox.vaultPath()))
    }

    @Test func envSelectsTheVaultFile() async throws {
        let sandbox = try TestSandbox()
        await sandbox.run(["init", "--env", "staging"]).expectSuccess()
        #expect(sandbox.exists(sandbox.vaultPath("staging")))
        #expect(!sandbox.exists(sandbox.vaultPath("dev")))
        await sandbox.run(["init"]).expectSuccess()
        #expect(sandbox.keyFiles.count == 2, "each vault has its own key")

        sandbox.remember("staging-only-value".utf8Bytes)
        await sandbox.run(["set", "WHERE", "--env", "staging"], stdin: "staging-only-value".utf8Bytes).expectSuccess()
        #expect(try await sandbox.get("WHERE", environment: ["SECRETCTL_ENV": "staging"]) == "staging-only-value".utf8Bytes)
        await sandbox.run(["get", "WHERE"]).expectFailure(.failure, "no entry named WHERE in \(sandbox.vaultPath("dev"))")
        // --env beats SECRETCTL_ENV.
        await sandbox.run(["get", "WHERE", "--env", "dev"], environment: ["SECRETCTL_ENV": "staging"]).expectFailure(.failure, "dev.vault")
        await sandbox.run(["get", "WHERE", "--env", "prod"]).expectFailure(.noInput, "no vault at \(sandbox.vaultPath("prod"))", hint: "secretctl init")
        // An empty SECRETCTL_ENV counts as unset.
        await sandbox.run(["get", "WHERE"], environment: ["SECRETCTL_ENV": ""]).expectFailure(.failure, "dev.vault")
    }

    @Test func vaultNamesAnExplicitFile() async throws {
        let sandbox = try TestSandbox()
        await sandbox.run(["init", "--vault", "elsewhere/team.vault"]).expectSuccess()
        let explicit = sandbox.project + "/elsewhere/team.vault"
        #expect(sandbox.mode(explicit) == 0o600)
        #expect(sandbox.exists(explicit + ".lock"))
        #expect(!sandbox.exists(sandbox.vaultPath()))

        sandbox.remember("explicit-file-value".utf8Bytes)
        await sandbox.run(["set", "X", "--vault", explicit], stdin: "explicit-file-value".utf8Bytes).expectSuccess()
        #expect(try await sandbox.get("X", environment: ["SECRETCTL_VAULT": "elsewhere/team.vault"]) == "explicit-file-value".utf8Bytes)
        // --vault beats SECRETCTL_VAULT and --env.
        await sandbox.run(["get", "X", "--vault", explicit], environment: ["SECRETCTL_VAULT": "nowhere.vault"]).expectSuccess()
        await sandbox.run(["get", "X", "--vault", explicit, "--env", "prod"]).expectSuccess()
        await sandbox.run(["get", "X"], environment: ["SECRETCTL_VAULT": "nowhere.vault"]).expectFailure(.noInput, "\(sandbox.project)/nowhere.vault")
    }

    @Test(arguments: ["Staging", "../prod", "a/b", "-x", "prod.v2", "", String(repeating: "e", count: 64), "dev vault", "dév"])
    func invalidEnvironmentNamesAreUsageErrors(name: String) async throws {
        let sandbox = try TestSandbox()
        // An empty value is refused by the argument parser itself (no hint then).
        await sandbox.run(["init", "--env=\(name)"]).expectFailure(.usage, "", hint: name.isEmpty ? nil : "lowercase")
        if !name.isEmpty {
            await sandbox.run(["list"], environment: ["SECRETCTL_ENV": name]).expectFailure(.usage, "not a valid environment name")
        }
        #expect(sandbox.allFiles.isEmpty, "nothing was created")
    }

    @Test(arguments: ["prod", "eu-west_2", "a", String(repeating: "e", count: 63), "9"])
    func validEnvironmentNames(name: String) async throws {
        let sandbox = try TestSandbox()
        await sandbox.run(["init", "--env", name]).expectSuccess()
        #expect(sandbox.exists(sandbox.vaultPath(name)))
    }
}
