import Foundation
import SecretctlCore
import Testing

/// `secretctl rotate` without a cluster: --dry-run, refusals, and --keep-previous's upkeep of the
/// list. What reaches a cluster is ClusterRotateTests'.
struct KubeRotateCommandTests {
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
            .expectFailure(.failure, "no Secret in", hint: "UNUSED_TOKEN: secretctl:UNUSED_TOKEN")
        #expect(try sandbox.read(sandbox.vaultPath()) == before)
        #expect(try kubectl.calls().isEmpty)
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

    /// The list's upkeep in the vault; its delivery to a cluster is ClusterRotateTests'.
    @Test func keepPreviousMaintainsTheVersionedList() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        let legacy = try await sandbox.get("BETTER_AUTH_SECRET")

        let first = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous"])
        first.expectSuccess()
        let afterFirst = try await Self.list(sandbox)
        afterFirst.forEach { sandbox.remember($0.1) }
        #expect(afterFirst.map(\.0) == ["2", "1"])
        #expect(afterFirst[1].1 == legacy)
        #expect(try await sandbox.get("BETTER_AUTH_SECRET") == legacy, "BETTER_AUTH_SECRET still decrypts pre-list data")
        #expect(first.stderr.contains("users may have to sign in again"))

        await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous", "--keep", "2"]).expectSuccess()
        let afterSecond = try await Self.list(sandbox)
        afterSecond.forEach { sandbox.remember($0.1) }
        #expect(afterSecond.map(\.0) == ["3", "2", "1"])
        #expect(Array(afterSecond.dropFirst().map(\.1)) == afterFirst.map(\.1))

        let third = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous"])
        third.expectSuccess()
        #expect(try await Self.list(sandbox).map(\.0) == ["4", "3"])
        #expect(third.stderr.contains("v2, v1 leave the list"))
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
