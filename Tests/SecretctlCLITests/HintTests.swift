import Foundation
import SecretctlCore
import Testing

/// Hints name a command that works for the entry at hand, and `scan` finds every secret
/// a versioned list holds.
struct HintTests {
    /// A vault with a hand-set entry, a generated one, and BETTER_AUTH_SECRETS after one
    /// rotation with --keep-previous.
    static func vault() async throws -> TestSandbox {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("OPENAI_API_KEY", "sk-hand-set-by-a-person-0123456789")
        await sandbox.run(["generate", "SESSION_KEY"]).expectSuccess()
        sandbox.remember(try await sandbox.get("SESSION_KEY"))
        await sandbox.run(["generate", "BETTER_AUTH_SECRET"]).expectSuccess()
        sandbox.remember(try await sandbox.get("BETTER_AUTH_SECRET"))
        await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous"]).expectSuccess()
        let list = String(decoding: try await sandbox.get("BETTER_AUTH_SECRETS"), as: UTF8.self)
        sandbox.remember(Array(list.utf8))
        for item in list.split(separator: ",") { sandbox.remember(Array(item.split(separator: ":", maxSplits: 1)[1].utf8)) }
        return sandbox
    }

    /// The current Better Auth secret, which after --keep-previous lives only inside the list.
    static func currentAuthSecret(_ sandbox: TestSandbox) async throws -> String {
        let list = String(decoding: try await sandbox.get("BETTER_AUTH_SECRETS"), as: UTF8.self)
        return String(list.split(separator: ",")[0].split(separator: ":", maxSplits: 1)[1])
    }

    // MARK: - scan

    @Test func scanFindsTheCurrentSecretInsideTheVersionedList() async throws {
        let sandbox = try await Self.vault()
        let current = try await Self.currentAuthSecret(sandbox)
        #expect(try await sandbox.get("BETTER_AUTH_SECRET") != Array(current.utf8), "the current secret is only in the list")
        try sandbox.write(Array("BETTER_AUTH_SECRET=\(current)\n".utf8), to: sandbox.project + "/leak.env")
        let result = await sandbox.run(["scan", "leak.env"])
        #expect(result.code == 1, "the leak is found:\n\(result.stderr)")
        #expect(result.stdoutText.contains("leak.env:1: BETTER_AUTH_SECRETS"), "\(result.stdoutText)")
        #expect(result.hints.contains { $0.contains("secretctl rotate BETTER_AUTH_SECRET --keep-previous") }, "\(result.stderr)")
    }

    @Test func scanOfAHandSetValueSaysToRotateItAtItsProvider() async throws {
        let sandbox = try await Self.vault()
        try sandbox.write(Array("OPENAI_API_KEY=sk-hand-set-by-a-person-0123456789\n".utf8), to: sandbox.project + "/leak.env")
        let result = await sandbox.run(["scan", "leak.env"])
        #expect(result.code == 1)
        #expect(!result.stderr.contains("secretctl rotate OPENAI_API_KEY"), "rotate fails for a hand-set entry:\n\(result.stderr)")
        #expect(result.hints.contains { $0.contains("at its provider") && $0.contains("secretctl set OPENAI_API_KEY") }, "\(result.stderr)")
        // The generated one still gets 'rotate', and that command works.
        try sandbox.write(try await sandbox.get("SESSION_KEY"), to: sandbox.project + "/leak.env")
        let generated = await sandbox.run(["scan", "leak.env"])
        #expect(generated.hints.contains { $0.contains("secretctl rotate SESSION_KEY") }, "\(generated.stderr)")
        await sandbox.run(["rotate", "SESSION_KEY"]).expectSuccess()
    }

    // MARK: - generate on an existing entry

    @Test func generateOnAHandSetEntryDoesNotSuggestRotate() async throws {
        let sandbox = try await Self.vault()
        let result = await sandbox.run(["generate", "OPENAI_API_KEY"])
        result.expectFailure(.failure, "already exists", hint: "generate OPENAI_API_KEY --force")
        #expect(!result.stderr.contains("secretctl rotate OPENAI_API_KEY"), "\(result.stderr)")
        await sandbox.run(["rotate", "OPENAI_API_KEY"]).expectFailure(.failure, "set by hand")

        let generated = await sandbox.run(["generate", "SESSION_KEY"])
        generated.expectFailure(.failure, "already exists", hint: "secretctl rotate SESSION_KEY")
        let listed = await sandbox.run(["generate", "BETTER_AUTH_SECRET"])
        listed.expectFailure(.failure, "already exists", hint: "secretctl rotate BETTER_AUTH_SECRET --keep-previous")
    }

    // MARK: - recipients rm

    @Test func recipientsRemoveSendsTheVersionedListToRotateKeepPrevious() async throws {
        let sandbox = try await Self.vault()
        let teammate = await sandbox.run(["keygen", "--output", "-"])
        let recipient = try #require(teammate.stderrLines.compactMap { line -> String? in
            line.range(of: "recipient: ").map { String(line[$0.upperBound...]) }
        }.first)
        await sandbox.run(["recipients", "add", "bob", recipient]).expectSuccess()
        let result = await sandbox.run(["recipients", "rm", "bob"])
        result.expectSuccess()
        let setHint = try #require(result.hints.first { $0.contains("secretctl set NAME") }, "\(result.stderr)")
        #expect(!setHint.contains("BETTER_AUTH_SECRETS"), "the list is not set by hand:\n\(result.stderr)")
        #expect(setHint.contains("OPENAI_API_KEY"))
        #expect(result.hints.contains { $0.contains("secretctl rotate BETTER_AUTH_SECRET --keep-previous") && $0.contains("BETTER_AUTH_SECRETS") },
            "\(result.stderr)")
        await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous"]).expectSuccess()
    }
}
