import ArgumentParser
import Testing

@testable import SecretctlCLI

/// The two short ways `SecretctlMain` parses a line (`PlainLineParser`, and a tree holding only
/// the named subcommand) must give what parsing with the whole tree gives, and must leave
/// everything else to it.
struct CommandLineShortcutTests {
    static let plainLines: [[String]] = [
        ["get", "DATABASE_URL"],
        ["get", "--env", "prod", "DATABASE_URL"],
        ["get", "DATABASE_URL", "--vault", "secrets/other.vault"],
        ["get", "--env=staging", "--vault=x.vault", "KEY"],
        ["list"],
        ["list", "--env", "prod"],
        ["render"],
        ["render", "--vault", "v.vault", "--env", "dev"],
    ]

    @Test("a plain line gives the command the whole tree gives", arguments: plainLines)
    func plainLineMatchesArgumentParser(arguments: [String]) throws {
        let shortcut = try #require(PlainLineParser.command(arguments), "\(arguments) should take the plain-line parser")
        let full = try Secretctl.parseAsRoot(arguments)
        #expect(Self.fields(shortcut) == Self.fields(full), "\(arguments)")
        let alone = try SecretctlMain.parseCommand(arguments)
        #expect(Self.fields(alone) == Self.fields(full), "\(arguments)")
    }

    static let otherLines: [[String]] = [
        [], ["get"], ["get", "A", "B"], ["get", "-h"], ["get", "--help"], ["get", "--env"], ["get", "--env", "--vault", "x", "A"],
        ["get", "--env", "a", "--env", "b", "A"], ["get", "--", "-A"], ["get", ""], ["get", "--version"],
        ["list", "--json"], ["list", "X"], ["render", "--all", "--name", "x"], ["render", "-o", "json"], ["render", "--sealed"],
        ["set", "A"], ["help", "get"], ["--version"], ["--generate-completion-script", "bash"], ["get", "--env=", "A"],
    ]

    @Test("any other line is left to ArgumentParser", arguments: otherLines)
    func otherLinesAreNotTaken(arguments: [String]) {
        #expect(PlainLineParser.command(arguments) == nil, "\(arguments)")
    }

    static let subcommandLines: [[String]] = [
        ["get", "--env", "prod", "A"], ["list", "--json"], ["render", "-o", "json", "--namespace", "x"],
        ["render", "--all", "--name", "everything"], ["history", "A"], ["export", "--format", "json"],
    ]

    @Test("a tree of one subcommand gives the command the whole tree gives", arguments: subcommandLines)
    func singleCommandTreeMatchesArgumentParser(arguments: [String]) throws {
        let alone = try SecretctlMain.parseCommand(arguments)
        let full = try Secretctl.parseAsRoot(arguments)
        #expect(ObjectIdentifier(type(of: alone)) == ObjectIdentifier(type(of: full)))
        #expect(Self.fields(alone) == Self.fields(full), "\(arguments)")
    }

    @Test("--version prints what ArgumentParser prints for it")
    func versionMatchesArgumentParser() async throws {
        var expected = ""
        do {
            _ = try Secretctl.parseAsRoot(["--version"])
        } catch {
            expected = Secretctl.fullMessage(for: error)
        }
        #expect(!expected.isEmpty)
        let sandbox = try TestSandbox()
        let result = await sandbox.run(["--version"])
        #expect(result.code == 0)
        #expect(result.stdoutText == expected + "\n")
    }

    /// Every parsed property, as text (ArgumentParser's wrappers print their values).
    static func fields(_ command: any ParsableCommand) -> String {
        func describe(_ value: Any) -> String {
            let mirror = Mirror(reflecting: value)
            guard !mirror.children.isEmpty else { return String(describing: value) }
            return "{" + mirror.children.map { "\($0.label ?? "_")=\(describe($0.value))" }.joined(separator: ",") + "}"
        }
        return "\(type(of: command))" + describe(command)
    }
}
