import SecretctlCore
import Testing

/// A word typed where a name or option goes is repeated in an error only when it is plainly a
/// name: never when it has characters no name has, is long, looks generated, or is one of the
/// vault's values. The sweep checks that no value leaks; these check what is said instead.
@Suite("Errors do not repeat values typed on the command line")
struct ArgvEchoTests {
    static let url = "postgres://app:Pa55-Echo-K1@db.internal:5432/todo"
    static let token = "sk-echo-Q9w8E7r6T5y4U3"

    // MARK: - ArgumentParser's usage errors

    @Test("plain words stay in parse errors, unchanged", arguments: [
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
        (["list", "--bogus"], "Unknown option '--bogus'"),
        (["list", "--jsn"], "Unknown option '--jsn'. Did you mean '--json'?"),
        (["get", "A", "B"], "Unexpected argument 'B'"),
        (["generate", "X", "--encoding", "rot13"], "The value 'rot13' is invalid for '--encoding <encoding>'"),
    ])
    func plainWordsAreShown(arguments: [String], message: String) async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(arguments)
        result.expectFailure(.usage, message)
        #expect(result.hints.isEmpty, "no hint about values for a mistyped word:\n\(result.stderr)")
    }

    @Test("a word that may be a value is replaced by its position and length", arguments: [
        (["frobnicate", url], "2 unexpected arguments: 'frobnicate', '<argument 2, 49 characters, not shown>'"),
        (["frobnicate", token], "2 unexpected arguments: 'frobnicate', '<argument 2, 22 characters, not shown>'"),
        (["list", "--" + url], "Unknown option '<argument 2, 51 characters, not shown>'"),
        (["generate", "X", "--bytes=" + url], "The value '<argument 3, 49 characters, not shown>' is invalid for '--bytes <bytes>'"),
        (["get", "A", String(repeating: "a", count: 41)], "Unexpected argument '<argument 3, 41 characters, not shown>'"),
    ])
    func valuesAreNotShown(arguments: [String], message: String) async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(arguments)
        result.expectFailure(.usage, message, hint: "values are never given on the command line")
        #expect(result.stderr.contains("Usage: secretctl"), "the usage line is kept:\n\(result.stderr)")
        #expect(!result.stderr.contains(arguments.last!.drop { $0 == "-" }.prefix(20)), "the word was repeated:\n\(result.stderr)")
    }

    // MARK: - Entry names

    @Test("an invalid name is described, not repeated", arguments: ["get", "rm", "history", "rollback", "rotate", "set", "generate"])
    func invalidNameIsDescribed(command: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let result = await sandbox.run([command, Self.url], stdin: "v\n".utf8Bytes)
        result.expectFailure(.usage, "that is not a valid entry name (49 characters; a name uses only letters, digits, '-', '_' and '.')",
            hint: "pipe them in")
        #expect(!result.stderr.contains("db.internal"), "\(result.stderr)")
    }

    @Test func aMissingValidNameIsStillNamed() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("A", Self.token)
        await sandbox.run(["get", "MISSING"]).expectFailure(.failure, "no entry named MISSING in", hint: "secretctl list")
    }

    @Test("a name that is one of the vault's values, current or kept, is not repeated", arguments: ["get", "rm", "history", "rollback", "rotate"])
    func aStoredValueIsNotNamed(command: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("A", Self.token)
        try await sandbox.set("A", "newer-value")
        let result = await sandbox.run([command, Self.token])
        result.expectFailure(.failure, "no entry by that name in", hint: "pipe them in")
        #expect(!result.stderr.contains(Self.token), "\(result.stderr)")
    }

    @Test("set and generate refuse a name that is a value, stored or being stored", arguments: [
        (["set", token], token), (["set", "same-as-its-value"], "same-as-its-value"), (["generate", token], ""),
    ])
    func aValueIsNotMadeAName(arguments: [String], stdin: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("A", Self.token)
        let result = await sandbox.run(arguments, stdin: stdin.utf8Bytes)
        result.expectFailure(.usage, "refusing that entry name: it is a value, not a name", hint: "pipe them in")
        #expect(!result.stderr.contains(arguments[1]), "\(result.stderr)")
        let listed = await sandbox.run(["list"]).stdoutText.split(separator: "\n")
        #expect(listed.count == 1 && listed[0].hasPrefix("A "), "nothing but A is stored: \(listed)")
    }

    @Test("--only names a missing plain name, but not a value or an invalid name", arguments: [
        (["export", "--only", "A,MISSING"], ExitCode.failure, "no entry named MISSING in"),
        (["export", "--only", token], .failure, "no entry by that name in"),
        (["export", "--only", "A," + token], .failure, "no entry by that name in"),
        (["exec", "--only", url, "--", "/nonexistent/true"], .usage, "that is not a valid entry name (49 characters;"),
    ])
    func onlyNamesPlainNamesOnly(arguments: [String], code: ExitCode, message: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("A", Self.token)
        let result = await sandbox.run(arguments)
        result.expectFailure(code, message)
        #expect(!result.stderr.contains(Self.token) && !result.stderr.contains("db.internal"), "\(result.stderr)")
    }

    @Test func anEmptyValueMessageLeavesTheNameOut() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let result = await sandbox.run(["set", Self.token], stdin: [])
        result.expectFailure(.usage, "the value is empty", hint: "--allow-empty")
        #expect(!result.stderr.contains(Self.token), "\(result.stderr)")
    }

    // MARK: - Recipients

    @Test func recipientNamesAreNotRepeated() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let added = await sandbox.run(["recipients", "add", Self.url, "secretctl1x"])
        added.expectFailure(.usage, "that is not a valid recipient name (49 characters;")
        let removed = await sandbox.run(["recipients", "rm", Self.token])
        removed.expectFailure(.failure, "has no recipient by that name", hint: "recipients list")
        #expect(!added.stderr.contains("db.internal") && !removed.stderr.contains(Self.token), "\(added.stderr)\(removed.stderr)")
    }
}
