import Foundation
import SecretctlCore
import Testing

/// `secretctl import FILE`: dotenv files and Secret manifests into the vault, in one update.
struct ImportCommandTests {
    static let dotenv = """
        # the backend's settings
        export DATABASE_URL="postgresql://todo:pg-pass-1234@db.neon.tech/todo?sslmode=require"
        OPENAI_API_KEY=sk-test-abcdef123456 # the key for tests
        BETTER_AUTH_SECRET='k3y-with-$-and-#-inside'
        MULTI_LINE="line one\\nline two"
        """

    static let expected: [String: String] = [
        "DATABASE_URL": "postgresql://todo:pg-pass-1234@db.neon.tech/todo?sslmode=require",
        "OPENAI_API_KEY": "sk-test-abcdef123456",
        "BETTER_AUTH_SECRET": "k3y-with-$-and-#-inside",
        "MULTI_LINE": "line one\nline two",
    ]

    private func sandboxWithVault() async throws -> TestSandbox {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        for value in Self.expected.values { sandbox.remember(value.utf8Bytes) }
        return sandbox
    }

    private func expectStored(_ sandbox: TestSandbox, _ expected: [String: String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for (name, value) in expected {
            #expect(try await sandbox.get(name, sourceLocation: sourceLocation) == value.utf8Bytes, "\(name)", sourceLocation: sourceLocation)
        }
    }

    private func names(_ sandbox: TestSandbox) async -> [String] {
        let list = await sandbox.run(["list", "--json"])
        guard let items = try? JSONSerialization.jsonObject(with: Data(list.stdout)) as? [[String: Any]] else { return [] }
        return items.compactMap { $0["name"] as? String }
    }

    // MARK: - Dotenv

    @Test func importsADotenvFileListingTheNamesOnly() async throws {
        let sandbox = try await sandboxWithVault()
        try sandbox.write(Self.dotenv.utf8Bytes, to: sandbox.project + "/.env")
        let result = await sandbox.run(["import", ".env"])
        result.expectSuccess()
        #expect(result.stdout.isEmpty, "import prints nothing on stdout")
        for name in Self.expected.keys {
            #expect(result.stderrLines.contains("secretctl: imported \(name) (v1)"), "\(name) is listed:\n\(result.stderr)")
        }
        #expect(result.stderr.contains("imported 4 entries from \(sandbox.project)/.env"))
        #expect(result.hints.contains { $0.contains("delete the plaintext file") })
        try await expectStored(sandbox, Self.expected)
    }

    @Test func readsStandardInputWithADash() async throws {
        let sandbox = try await sandboxWithVault()
        let result = await sandbox.run(["import", "-"], stdin: Self.dotenv.utf8Bytes)
        result.expectSuccess()
        #expect(result.stderr.contains("from standard input"))
        #expect(!result.hints.contains { $0.contains("delete") }, "there is no file to delete")
        try await expectStored(sandbox, Self.expected)
    }

    @Test func aDashDoesNotReadFromATerminal() async throws {
        let sandbox = try await sandboxWithVault()
        await sandbox.run(["import", "-"], stdinIsTerminal: true).expectFailure(.usage, "standard input is a terminal", hint: "pipe")
    }

    // MARK: - Manifests

    @Test func importsASecretManifestDataAndStringData() async throws {
        let sandbox = try await sandboxWithVault()
        let manifest = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: todo-secrets
              namespace: todo-app
            type: Opaque
            data:
              DATABASE_URL: \(Data(Self.expected["DATABASE_URL"]!.utf8).base64EncodedString())
              MULTI_LINE: \(Data(Self.expected["MULTI_LINE"]!.utf8).base64EncodedString())
            stringData:
              OPENAI_API_KEY: "\(Self.expected["OPENAI_API_KEY"]!)"
              BETTER_AUTH_SECRET: '\(Self.expected["BETTER_AUTH_SECRET"]!)'
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {CORS_ORIGINS: "http://todo.local"}
            """
        try sandbox.write(manifest.utf8Bytes, to: sandbox.project + "/secret.yaml")
        let result = await sandbox.run(["import", "secret.yaml"])
        result.expectSuccess()
        #expect(result.stderr.contains("skipped 1 document that is not a Secret (ConfigMap)"))
        try await expectStored(sandbox, Self.expected)
        #expect(await names(sandbox).sorted() == Self.expected.keys.sorted(), "the ConfigMap's key was not imported")
    }

    @Test func badBase64RefusesTheWholeFile() async throws {
        let sandbox = try await sandboxWithVault()
        let broken = "kind: Secret\nmetadata: {name: s}\ndata:\n  GOOD: \(Data("fine".utf8).base64EncodedString())\n  BAD: c2VjcmV0LXZhbHU\n"
        try sandbox.write(broken.utf8Bytes, to: sandbox.project + "/bad.yaml")
        let result = await sandbox.run(["import", "bad.yaml"])
        result.expectFailure(.usage, "data.BAD is not valid base64", hint: "stringData")
        #expect(!result.stderr.contains("c2VjcmV0LXZhbHU"), "the encoded value is not shown")
        #expect(await names(sandbox).isEmpty, "nothing was imported, not even GOOD")
    }

    // MARK: - Existing entries

    @Test func refusesToReplaceADifferentValueWithoutForce() async throws {
        let sandbox = try await sandboxWithVault()
        try await sandbox.set("OPENAI_API_KEY", "sk-old-value-999")
        try sandbox.write(Self.dotenv.utf8Bytes, to: sandbox.project + "/.env")
        let before = try sandbox.read(sandbox.vaultPath())

        let refused = await sandbox.run(["import", ".env"])
        refused.expectFailure(.failure, "OPENAI_API_KEY already exists", hint: "--force")
        #expect(try sandbox.read(sandbox.vaultPath()) == before, "the vault file was not rewritten")
        #expect(await names(sandbox) == ["OPENAI_API_KEY"], "nothing else was imported either")

        let forced = await sandbox.run(["import", ".env", "--force"])
        forced.expectSuccess()
        #expect(forced.stderrLines.contains("secretctl: imported OPENAI_API_KEY (v2, replaced)"))
        try await expectStored(sandbox, Self.expected)
        // The replaced value stays in history.
        await sandbox.run(["rollback", "OPENAI_API_KEY"]).expectSuccess()
        #expect(try await sandbox.get("OPENAI_API_KEY") == "sk-old-value-999".utf8Bytes)
    }

    @Test func importingTheSameValuesAgainChangesNothing() async throws {
        let sandbox = try await sandboxWithVault()
        try sandbox.write(Self.dotenv.utf8Bytes, to: sandbox.project + "/.env")
        await sandbox.run(["import", ".env"]).expectSuccess()
        let again = await sandbox.run(["import", ".env"])
        again.expectSuccess()
        #expect(again.stderrLines.contains("secretctl: imported DATABASE_URL (unchanged, v1)"))
        let history = await sandbox.run(["history", "DATABASE_URL"])
        #expect(!history.stdoutText.contains("v2"), "no new version for an unchanged value:\n\(history.stdoutText)")
    }

    // MARK: - Bad files: exit 64, the line named, no value shown, nothing imported

    @Test(arguments: [
        ("A=1\nhunter2-s3cr3t\n", "line 2: expected NAME=value"),
        ("A=\"hunter2-s3cr3t\n", "line 1: the double-quoted value is never closed"),
        ("A=1\nA=hunter2-s3cr3t\n", "sets A (line 1 and line 2) more than once"),
        ("bad!name=hunter2-s3cr3t\n", "line 1: the name is not a valid Kubernetes Secret key"),
        ("A=\n", "empty values for A (line 1)"),
        ("A=\"hunter2-s3cr3t\\q\"\n", "line 1: unsupported escape"),
    ])
    func aBadDotenvFileIsRefusedNamingTheLine(_ text: String, _ fragment: String) async throws {
        let sandbox = try await sandboxWithVault()
        sandbox.remember("hunter2-s3cr3t".utf8Bytes)
        try sandbox.write(text.utf8Bytes, to: sandbox.project + "/.env")
        let result = await sandbox.run(["import", ".env"])
        result.expectFailure(.usage, fragment)
        #expect(!result.stderr.contains("hunter2"), "part of a value was shown:\n\(result.stderr)")
        #expect(await names(sandbox).isEmpty)
    }

    @Test func emptyValuesAreTakenWithAllowEmpty() async throws {
        let sandbox = try await sandboxWithVault()
        await sandbox.run(["import", "-", "--allow-empty"], stdin: "EMPTY=\nFULL=x\n".utf8Bytes).expectSuccess()
        #expect(try await sandbox.get("EMPTY") == [])
    }

    @Test func aValueOverOneMebibyteIsRefused() async throws {
        let sandbox = try await sandboxWithVault()
        let text = "SMALL=x\nBIG=" + String(repeating: "a", count: (1 << 20) + 1) + "\n"
        let result = await sandbox.run(["import", "-"], stdin: text.utf8Bytes)
        result.expectFailure(.usage, "BIG (1048577 bytes) is over 1 MiB")
        #expect(await names(sandbox).isEmpty)
    }

    @Test func aMissingFileExits66() async throws {
        let sandbox = try await sandboxWithVault()
        await sandbox.run(["import", "nowhere.env"]).expectFailure(.noInput, "nowhere.env")
    }

    @Test func withoutAVaultNothingIsReadIntoIt() async throws {
        let sandbox = try TestSandbox()
        try sandbox.write("A=value-without-vault\n".utf8Bytes, to: sandbox.project + "/.env")
        await sandbox.run(["import", ".env"]).expectFailure(.noInput, "no vault", hint: "secretctl init")
    }

    @Test func namesThatAreNotEnvironmentVariablesAreTakenWithAWarning() async throws {
        let sandbox = try await sandboxWithVault()
        let result = await sandbox.run(["import", "-"], stdin: "tls.crt=cert-bytes\nOK=1\n".utf8Bytes)
        result.expectSuccess()
        #expect(result.warnings.contains { $0.contains("tls.crt is not a valid environment variable name") })
        #expect(try await sandbox.get("tls.crt") == "cert-bytes".utf8Bytes)
    }

    @Test func interpolationIsNotDoneAndSaidSo() async throws {
        let sandbox = try await sandboxWithVault()
        let result = await sandbox.run(["import", "-"], stdin: "URL=\"https://${HOST}/x\"\n".utf8Bytes)
        result.expectSuccess()
        #expect(result.warnings.contains { $0.contains("URL contains '${'") })
        #expect(try await sandbox.get("URL") == "https://${HOST}/x".utf8Bytes)
    }

    // MARK: - git

    @Test func warnsWhenTheFileIsTrackedByGit() async throws {
        let sandbox = try await sandboxWithVault()
        try IoGit.run(["init", "-q"], in: sandbox.project)
        try sandbox.makeFolder(sandbox.project + "/backend")
        try sandbox.write(Self.dotenv.utf8Bytes, to: sandbox.project + "/backend/.env")
        try IoGit.run(["add", "backend/.env"], in: sandbox.project)
        try IoGit.commit("add env", in: sandbox.project)

        // Run from elsewhere: git is asked in the file's own folder.
        let result = await sandbox.run(["import", sandbox.project + "/backend/.env", "--vault", sandbox.vaultPath()], workingDirectory: sandbox.root)
        result.expectSuccess()
        #expect(result.warnings.contains { $0.contains("tracked by git") && $0.contains("rotate") }, "\(result.stderr)")
        #expect(result.hints.contains { $0.contains("git rm .env") })
    }

    @Test func warnsWhenTheFileWasCommittedBefore() async throws {
        let sandbox = try await sandboxWithVault()
        try IoGit.run(["init", "-q"], in: sandbox.project)
        try sandbox.write(Self.dotenv.utf8Bytes, to: sandbox.project + "/.env")
        try IoGit.run(["add", ".env"], in: sandbox.project)
        try IoGit.commit("oops", in: sandbox.project)
        try IoGit.run(["rm", "-q", "--cached", ".env"], in: sandbox.project)
        try IoGit.commit("untrack", in: sandbox.project)

        let result = await sandbox.run(["import", ".env"])
        result.expectSuccess()
        #expect(result.warnings.contains { $0.contains("was committed to git before") }, "\(result.stderr)")
    }

    @Test func noGitWarningForAnUntrackedFile() async throws {
        let sandbox = try await sandboxWithVault()
        try IoGit.run(["init", "-q"], in: sandbox.project)
        try sandbox.write(Self.dotenv.utf8Bytes, to: sandbox.project + "/.env")
        let result = await sandbox.run(["import", ".env"])
        result.expectSuccess()
        #expect(result.warnings.isEmpty, "\(result.stderr)")
        #expect(result.hints.contains { $0.contains("rm \(sandbox.project)/.env") })
    }
}

/// Runs git for the tests (output to files: FileHandle pipes can trap on EINTR on Linux).
enum IoGit {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ arguments: [String], in folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "git \(arguments) exited \(process.terminationStatus)") }
    }

    static func commit(_ message: String, in folder: String) throws {
        try run(["commit", "-q", "-m", message], in: folder)
    }
}
