import Foundation
import SecretctlCore
import Testing

/// `secretctl rotate` with --apply, --restart, --dry-run and --keep-previous.
struct KubeRotateCommandTests {
    static let get = ["get", "secret", "todo-secrets", "-n", "todo-app", "-o", "json"]
    static let apply = ["apply", "--server-side", "--field-manager=secretctl", "-f", "-"]

    /// The value of `key` in a manifest kubectl received.
    static func data(_ stdin: [UInt8], _ key: String) throws -> [UInt8]? {
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(yamlAsJSON(stdin))) as? [[String: Any]], "no documents")
        let encoded = (documents.first?["data"] as? [String: String])?[key]
        return try encoded.map { try #require(Data(base64Encoded: $0), "not base64").map { $0 } }
    }

    /// The manifest is YAML; PyYAML turns it into JSON for the test.
    static func yamlAsJSON(_ yaml: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys, json, yaml; json.dump(list(yaml.safe_load_all(sys.stdin)), sys.stdout)"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(yaml))
        try input.fileHandleForWriting.close()
        let json = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "PyYAML could not read the manifest")
        return Array(json)
    }

    @Test func restartAppliesThenRollsTheWorkloadsThatReadTheKey() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.secretNotFound()
        try kubectl.respond(to: "rollout-status", stdout: "deployment \"todo-backend\" successfully rolled out\n")
        let old = try await sandbox.get("BETTER_AUTH_SECRET")
        let result = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--restart", "--timeout", "90s"], environment: kubectl.environment)
        result.expectSuccess()
        let new = try await sandbox.get("BETTER_AUTH_SECRET")
        sandbox.remember(new)
        #expect(new != old)

        let calls = try kubectl.calls()
        #expect(calls.map(\.arguments) == [
            Self.get,
            Self.apply,
            ["rollout", "restart", "deployment/todo-backend", "-n", "todo-app"],
            ["rollout", "restart", "deployment/todo-frontend", "-n", "todo-app"],
            ["rollout", "status", "deployment/todo-backend", "-n", "todo-app", "--timeout=90s"],
            ["rollout", "status", "deployment/todo-frontend", "-n", "todo-app", "--timeout=90s"],
        ])
        #expect(try Self.data(calls[1].stdin, "BETTER_AUTH_SECRET") == new, "kubectl's stdin carries the new value")
        #expect(result.stderr.contains("restarted deployment/todo-backend -n todo-app"))
        try kubectl.expectNoValueInArguments(sandbox)
    }

    @Test func applyAloneDoesNotRestartAndSaysSo() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.secretNotFound()
        let result = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--apply", "--context", "kind-dev"], environment: kubectl.environment)
        result.expectSuccess()
        #expect(try kubectl.calls().map(\.arguments) == [["--context", "kind-dev"] + Self.get, ["--context", "kind-dev"] + Self.apply])
        #expect(result.hints.contains { $0.contains("restart") })
    }

    @Test func dryRunPrintsThePlanAndChangesNothing() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        let before = try sandbox.read(sandbox.vaultPath())
        let result = await sandbox.run(["rotate", "OPENAI_API_KEY", "--restart", "--dry-run"], environment: kubectl.environment)
        // OPENAI_API_KEY was set by hand: there is no recipe to rotate it by.
        result.expectFailure(.failure, "set by hand")
        let plan = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--restart", "--dry-run"], environment: kubectl.environment)
        plan.expectSuccess()
        #expect(plan.stdoutText == """
            dry run, nothing was changed:
              would rotate BETTER_AUTH_SECRET to v2 (v1 stays in history)
              would apply todo-app/todo-secrets with the new value
              would restart deployment/todo-backend -n todo-app and wait up to 5m
              would restart deployment/todo-frontend -n todo-app and wait up to 5m
              would run kubectl apply --server-side --field-manager=secretctl -f - (manifest on stdin)
              would run kubectl rollout restart deployment/todo-backend -n todo-app
              would run kubectl rollout restart deployment/todo-frontend -n todo-app
              would run kubectl rollout status deployment/todo-backend -n todo-app --timeout=5m
              would run kubectl rollout status deployment/todo-frontend -n todo-app --timeout=5m

            """)
        #expect(try kubectl.calls().isEmpty, "a dry run runs no kubectl")
        #expect(try sandbox.read(sandbox.vaultPath()) == before, "a dry run leaves the vault as it was")
    }

    @Test func aKeyNoSecretCarriesIsRefusedBeforeTheVaultChanges() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        await sandbox.run(["generate", "UNUSED_TOKEN"]).expectSuccess()
        let before = try sandbox.read(sandbox.vaultPath())
        await sandbox.run(["rotate", "UNUSED_TOKEN", "--apply"], environment: kubectl.environment)
            .expectFailure(.failure, "no Secret in", hint: "add UNUSED_TOKEN to the template")
        #expect(try sandbox.read(sandbox.vaultPath()) == before)
        #expect(try kubectl.calls().isEmpty)
    }

    @Test func aFailedApplyAfterTheRotationSaysHowToFinishOrGoBack() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.secretNotFound()
        try kubectl.respond(to: "apply", stderr: "error: unable to connect\n", status: 1)
        let result = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--restart"], environment: kubectl.environment)
        // The rotation is reported first (the vault did change), then the error.
        #expect(result.code == ExitCode.system.rawValue)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.first?.hasPrefix("secretctl: rotated BETTER_AUTH_SECRET to v2") == true)
        #expect(result.errorMessage?.hasPrefix("kubectl apply failed (exit 1): error: unable to connect") == true)
        #expect(result.hints.contains { $0.contains("secretctl rollback BETTER_AUTH_SECRET") })
        #expect(try kubectl.calls().count == 2, "no restart after a failed apply")
    }

    @Test(arguments: [
        (["rotate", "DATABASE_URL", "--keep-previous"], "--keep-previous is for BETTER_AUTH_SECRET"),
        (["rotate", "BETTER_AUTH_SECRET", "--keep", "2"], "--keep goes with --keep-previous"),
        (["rotate", "BETTER_AUTH_SECRETS"], "maintained by"),
        (["rotate", "BETTER_AUTH_SECRET", "--restart", "--timeout", "soon"], "--timeout"),
    ])
    func optionMistakesAreUsageErrors(arguments: [String], fragment: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(arguments).expectFailure(.usage, fragment)
    }

    // MARK: - Better Auth versioned secrets

    /// The list as the vault holds it, `[(version, value)]`.
    static func list(_ sandbox: TestSandbox) async throws -> [(String, [UInt8])] {
        let text = try await sandbox.get("BETTER_AUTH_SECRETS")
        return text.split(separator: UInt8(ascii: ",")).map { item in
            let colon = item.firstIndex(of: UInt8(ascii: ":"))!
            return (String(decoding: item[item.startIndex..<colon], as: UTF8.self), Array(item[(colon + 1)...]))
        }
    }

    @Test func keepPreviousMaintainsTheVersionedListAndAppliesIt() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.secretNotFound()
        let legacy = try await sandbox.get("BETTER_AUTH_SECRET")

        let first = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous", "--restart"], environment: kubectl.environment)
        first.expectSuccess()
        let afterFirst = try await Self.list(sandbox)
        afterFirst.forEach { sandbox.remember($0.1) }
        #expect(afterFirst.map(\.0) == ["2", "1"])
        #expect(afterFirst[1].1 == legacy)
        #expect(try await sandbox.get("BETTER_AUTH_SECRET") == legacy, "BETTER_AUTH_SECRET still decrypts pre-list data")
        #expect(first.stderr.contains("users may have to sign in again"))

        let calls = try kubectl.calls()
        let applied = try #require(calls.first { $0.arguments.first == "apply" }, "no apply")
        #expect(try Self.data(applied.stdin, "BETTER_AUTH_SECRETS") == (try await sandbox.get("BETTER_AUTH_SECRETS")))
        #expect(try Self.data(applied.stdin, "BETTER_AUTH_SECRET") == legacy)
        // Only BETTER_AUTH_SECRETS changed: the workloads reading it are restarted.
        #expect(calls.filter { $0.arguments.starts(with: ["rollout", "restart"]) }.map { $0.arguments[2] }
            == ["deployment/todo-backend", "deployment/todo-frontend"])

        await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous", "--keep", "2"]).expectSuccess()
        let afterSecond = try await Self.list(sandbox)
        afterSecond.forEach { sandbox.remember($0.1) }
        #expect(afterSecond.map(\.0) == ["3", "2", "1"])
        #expect(Array(afterSecond.dropFirst().map(\.1)) == afterFirst.map(\.1))

        let third = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous"])
        third.expectSuccess()
        #expect(try await Self.list(sandbox).map(\.0) == ["4", "3"])
        #expect(third.stderr.contains("v2, v1 leave the list"))
        try kubectl.expectNoValueInArguments(sandbox)
    }

    @Test func plainRotationOfTheLegacySecretIsRefusedOnceTheListExists() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous"]).expectSuccess()
        let before = try sandbox.read(sandbox.vaultPath())
        await sandbox.run(["rotate", "BETTER_AUTH_SECRET"]).expectFailure(.failure, "BETTER_AUTH_SECRETS", hint: "--keep-previous")
        #expect(try sandbox.read(sandbox.vaultPath()) == before)
    }

    @Test func aLegacySecretWithACommaIsRefused() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("BETTER_AUTH_SECRET", "comma,in-the-secret-0123456789")
        await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous"]).expectFailure(.failure, "contains ',' or ':'")
    }
}
