import Foundation
import SecretctlCore
import Testing

/// `get`, `list`, `rm`, `history`, `rollback`: reading and managing entries.
struct VaultEntryTests {
    // MARK: - get

    @Test func getPrintsTheExactBytesWithoutANewlineWhenStdoutIsNotATerminal() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("EXACT", "no-newline-please")
        let result = await sandbox.run(["get", "EXACT"])
        result.expectSuccess()
        #expect(result.stdout == "no-newline-please".utf8Bytes)
        #expect(result.stderr.isEmpty, "get says nothing on stderr when it works")
    }

    @Test func getAddsANewlineOnlyOnATerminal() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("EXACT", "shown-on-a-terminal")
        let result = await sandbox.run(["get", "EXACT"], stdoutIsTerminal: true)
        #expect(result.stdout == "shown-on-a-terminal\n".utf8Bytes)
    }

    @Test func getOfAMissingEntryIsAFailureWithAListHint() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("PRESENT", "present-value")
        await sandbox.run(["get", "ABSENT"]).expectFailure(.failure, "no entry named ABSENT", hint: "secretctl list")
    }

    // MARK: - list

    @Test func listShowsNamesVersionsAndTimesButNeverValues() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let noon: @Sendable () -> Int64 = { 1_795_000_000 }  // 2026-11-18T11:06:40Z
        try await sandbox.set("B_SECOND", "value-of-b")
        await sandbox.run(["set", "A_FIRST", "--raw"], stdin: "value-of-a-1".utf8Bytes, clock: noon).expectSuccess()
        await sandbox.run(["set", "A_FIRST", "--raw"], stdin: "value-of-a-2".utf8Bytes, clock: noon).expectSuccess()
        sandbox.remember("value-of-a-1".utf8Bytes)
        sandbox.remember("value-of-a-2".utf8Bytes)

        let result = await sandbox.run(["list"])
        result.expectSuccess()
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("A_FIRST "), "sorted by name")
        #expect(lines[0].contains("v2") && lines[0].contains("2026-11-18T11:06:40Z"))
        #expect(lines[1].hasPrefix("B_SECOND") && lines[1].contains("v1"))
        sandbox.expectNoValue(in: result.stdout, "list's stdout", sourceLocation: #_sourceLocation)
    }

    @Test func listJSONIsParseableAndHasNoValues() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["set", "DB_URL", "--raw"], stdin: "json-hidden-value".utf8Bytes, clock: { 86_400 }).expectSuccess()
        sandbox.remember("json-hidden-value".utf8Bytes)
        await sandbox.run(["generate", "SESSION_SECRET"]).expectSuccess()
        sandbox.remember(try await sandbox.get("SESSION_SECRET"))

        let result = await sandbox.run(["list", "--json"])
        result.expectSuccess()
        sandbox.expectNoValue(in: result.stdout, "list --json", sourceLocation: #_sourceLocation)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: Any]], "list --json is an array of objects")
        #expect(parsed.map { $0["name"] as? String } == ["DB_URL", "SESSION_SECRET"])
        #expect(parsed[0]["version"] as? Int == 1)
        #expect(parsed[0]["updated"] as? String == "1970-01-02T00:00:00Z")
        #expect(parsed[0]["recipe"] is NSNull)
        #expect(parsed[1]["recipe"] as? String == "random 32 bytes, base64")
        for object in parsed {
            #expect(Set(object.keys) == ["name", "version", "updated", "previous", "recipe"], "no value field")
        }
    }

    @Test func listOfAnEmptyVault() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let plain = await sandbox.run(["list"])
        plain.expectSuccess()
        #expect(plain.stdout.isEmpty)
        #expect(plain.stderr.contains("empty"))
        #expect(await sandbox.run(["list", "--json"]).stdoutText == "[]\n")
    }

    // MARK: - rm

    @Test func rmRemovesTheEntryAndItsHistory() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("GONE", "gone-v1")
        try await sandbox.set("GONE", "gone-v2")
        try await sandbox.set("KEPT", "kept-value")
        let removed = await sandbox.run(["rm", "GONE"])
        removed.expectSuccess()
        #expect(removed.stdout.isEmpty)
        await sandbox.run(["get", "GONE"]).expectFailure(.failure, "no entry named GONE")
        await sandbox.run(["history", "GONE"]).expectFailure(.failure, "no entry named GONE")
        #expect(try await sandbox.get("KEPT") == "kept-value".utf8Bytes)
        // A new entry of the same name starts over at v1.
        let again = try await sandbox.set("GONE", "gone-again")
        #expect(again.stderr.contains("(v1)"))
    }

    @Test func rmOfAMissingEntryChangesNothing() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("KEPT", "kept-value")
        let before = try sandbox.read(sandbox.vaultPath())
        await sandbox.run(["rm", "ABSENT"]).expectFailure(.failure, "no entry named ABSENT")
        #expect(try sandbox.read(sandbox.vaultPath()) == before, "a failed rm does not rewrite the vault")
    }

    // MARK: - history

    @Test func historyKeepsFivePreviousValuesByDefault() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        for version in 1...8 {
            await sandbox.run(["set", "ROLLING", "--raw"], stdin: "rolling-value-\(version)".utf8Bytes, clock: { Int64(version) * 3600 }).expectSuccess()
            sandbox.remember("rolling-value-\(version)".utf8Bytes)
        }
        let result = await sandbox.run(["history", "ROLLING"])
        result.expectSuccess()
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.map { $0.split(separator: " ").first.map(String.init) } == ["v8", "v7", "v6", "v5", "v4", "v3"])
        #expect(lines[0].contains("1970-01-01T08:00:00Z") && lines[0].hasSuffix("current"))
        #expect(lines[5].contains("1970-01-01T03:00:00Z") && !lines[5].contains("current"))
        sandbox.expectNoValue(in: result.stdout, "history's stdout", sourceLocation: #_sourceLocation)

        // v2 is gone for good; v3 is the oldest that can come back.
        await sandbox.run(["rollback", "ROLLING", "--to", "2"]).expectFailure(.failure, "no kept version 2", hint: "7, 6, 5, 4, 3")
        await sandbox.run(["rollback", "ROLLING", "--to", "3"]).expectSuccess()
        #expect(try await sandbox.get("ROLLING") == "rolling-value-3".utf8Bytes)
    }

    // MARK: - rollback

    @Test func rollbackMakesThePreviousValueCurrentAsANewVersion() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "api-key-one")
        try await sandbox.set("API_KEY", "api-key-two")
        let result = await sandbox.run(["rollback", "API_KEY"])
        result.expectSuccess()
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("v1 is current again as v3"))
        #expect(try await sandbox.get("API_KEY") == "api-key-one".utf8Bytes)
        let history = await sandbox.run(["history", "API_KEY"]).stdoutText
        #expect(history.split(separator: "\n").map { $0.split(separator: " ")[0] } == ["v3", "v2", "v1"])
        // Rolling back again goes to v2 (the one before the current v3).
        await sandbox.run(["rollback", "API_KEY"]).expectSuccess()
        #expect(try await sandbox.get("API_KEY") == "api-key-two".utf8Bytes)
    }

    @Test func rollbackToAChosenVersion() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        for index in 1...4 { try await sandbox.set("PICK", "pick-value-\(index)") }
        await sandbox.run(["rollback", "PICK", "--to", "2"]).expectSuccess()
        #expect(try await sandbox.get("PICK") == "pick-value-2".utf8Bytes)
    }

    @Test(arguments: [["--to", "9"], ["--to", "4"], ["--to", "0"]])
    func rollbackToAnUnknownVersionIsAFailure(option: [String]) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        for index in 1...4 { try await sandbox.set("PICK", "pick-value-\(index)") }
        let before = try sandbox.read(sandbox.vaultPath())
        // v4 is the current one: not a kept previous version.
        await sandbox.run(["rollback", "PICK"] + option).expectFailure(.failure, "no kept version \(option[1])", hint: "3, 2, 1")
        #expect(try sandbox.read(sandbox.vaultPath()) == before)
    }

    @Test func rollbackWithNothingToGoBackTo() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("ONLY", "only-version")
        await sandbox.run(["rollback", "ONLY"]).expectFailure(.failure, "no previous version")
        await sandbox.run(["rollback", "MISSING"]).expectFailure(.failure, "no entry named MISSING")
        await sandbox.run(["rollback", "ONLY", "--to", "x"]).expectFailure(.usage, "")
    }
}
