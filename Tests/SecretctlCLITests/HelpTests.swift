import ArgumentParser
@testable import SecretctlCLI
import SecretctlCore
import Testing

/// Help is a result: it goes to stdout with exit 0, and shows the command asked about.
struct HelpTests {
    static let forms: [([String], String)] = [
        (["--help"], "Keep a Kubernetes app's secrets"),
        (["help"], "Keep a Kubernetes app's secrets"),
        (["set", "--help"], "Store a value"),
        (["help", "set"], "Store a value"),
        (["passphrase", "add", "--help"], "Add (or replace) a passphrase"),
    ]

    @Test("help names the command asked about", arguments: forms)
    func helpShowsTheRightCommand(arguments: [String], overview: String) async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(arguments)
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stdoutText.contains(overview), "help for \(arguments) printed:\n\(result.stdoutText)")
        #expect(!result.stdoutText.contains("Show subcommand help information"), "help for \(arguments) showed the help command's own help")
    }

    @Test("a command group without a subcommand is a usage error on stderr", arguments: [[String](), ["passphrase"]])
    func bareGroupIsUsage(arguments: [String]) async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(arguments)
        #expect(result.code == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("USAGE"))
    }
}

/// Help text reflows at the terminal's width, and help for a command that does not exist
/// is an error, not the main help.
struct HelpTextTests {
    /// Every command, with its path of names.
    static func commands(_ type: any ParsableCommand.Type = Secretctl.self, path: [String] = []) -> [(path: [String], type: any ParsableCommand.Type)] {
        let here = (path: path, type: type)
        return [here] + type.configuration.subcommands.flatMap { sub in
            commands(sub, path: path + [sub.configuration.commandName ?? ""])
        }
    }

    /// ArgumentParser wraps each line of a discussion to the terminal's width, so a paragraph
    /// hard-wrapped in the source is wrapped twice: "and" ends up alone on a line. A line
    /// break is only allowed between paragraphs and around indented (preformatted) lines.
    @Test func noDiscussionIsHardWrappedInsideAParagraph() {
        var wrapped: [String] = []
        for (path, type) in Self.commands() {
            let lines = type.configuration.discussion.split(separator: "\n", omittingEmptySubsequences: false)
            for (a, b) in zip(lines, lines.dropFirst()) {
                let preformatted = a.first?.isWhitespace == true || b.first?.isWhitespace == true
                    || b.hasPrefix("- ") || b.hasPrefix("* ")
                if !a.isEmpty, !b.isEmpty, !preformatted {
                    wrapped.append("secretctl \(path.joined(separator: " ")): '\(a.suffix(30))' / '\(b.prefix(30))'")
                }
            }
        }
        #expect(wrapped.isEmpty, "hard-wrapped discussions:\n\(wrapped.joined(separator: "\n"))")
    }

    @Test(arguments: [["help", "nosuch"], ["help", "passphrase", "nosuch"], ["help", "set", "extra"]])
    func helpForAnUnknownCommandIsAUsageError(arguments: [String]) async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(arguments)
        result.expectFailure(.usage, "no command", hint: "secretctl --help")
    }
}
