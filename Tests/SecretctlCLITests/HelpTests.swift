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
