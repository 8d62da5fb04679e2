import SecretctlCore
import Testing

/// Rolling back never pushes an earlier value out of the kept history, and `--to N`
/// reaches every kept version.
struct RollbackHistoryTests {
    /// v1 to v5, then `rounds` plain rollbacks: every one of the five values is still reachable.
    @Test(arguments: [1, 2, 3, 6])
    func repeatedRollbacksKeepEveryEarlierValue(rounds: Int) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        for number in 1...5 { try await sandbox.set("TOKEN", "token-value-\(number)") }
        for _ in 0..<rounds { await sandbox.run(["rollback", "TOKEN"]).expectSuccess() }

        let history = await sandbox.run(["history", "TOKEN"])
        history.expectSuccess()
        let listed = history.stdoutText.split(separator: "\n").map { String($0.split(separator: " ")[0].dropFirst()) }
        #expect(listed.count <= Entry.defaultHistoryLimit + 1, "the history limit still holds:\n\(history.stdoutText)")
        var reachable = Set<String>()
        let snapshot = try sandbox.read(sandbox.vaultPath())
        for number in listed.dropFirst() {
            try sandbox.write(snapshot, to: sandbox.vaultPath())
            await sandbox.run(["rollback", "TOKEN", "--to", number]).expectSuccess()
            reachable.insert(String(decoding: try await sandbox.get("TOKEN"), as: UTF8.self))
        }
        let all = Set((1...5).map { "token-value-\($0)" })
        #expect(all.subtracting(reachable).isEmpty, "lost \(all.subtracting(reachable).sorted()) after \(rounds) rollbacks:\n\(history.stdoutText)")
    }

    @Test func setBackToAnEarlierValueDoesNotPushOutTheOldest() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        for number in 1...6 { try await sandbox.set("TOKEN", "token-value-\(number)") }
        try await sandbox.set("TOKEN", "token-value-5")
        await sandbox.run(["rollback", "TOKEN", "--to", "1"]).expectSuccess()
        #expect(try await sandbox.get("TOKEN") == "token-value-1".utf8Bytes)
    }

    @Test func aRollbackSaysWhenTheRestoredVersionLeftTheList() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        for number in 1...6 { try await sandbox.set("TOKEN", "token-value-\(number)") }
        let result = await sandbox.run(["rollback", "TOKEN"])
        result.expectSuccess()
        #expect(result.stderr.contains("v5 is current again as v7 (v5 left the history"), "\(result.stderr)")
        await sandbox.run(["rollback", "TOKEN", "--to", "1"]).expectSuccess()
        #expect(try await sandbox.get("TOKEN") == "token-value-1".utf8Bytes)
    }
}
