import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct ExportCommand: SynchronousCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case env
        case json
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the vault's values as a dotenv file or a JSON object, on stdout only.",
        discussion: """
            env:  one NAME="value" line per entry, in name order. Inside the double quotes
                  \\\\ \\" and line breaks, CR and TAB are escaped (\\\\ \\" \\n \\r \\t); every other
                  character is literal. 'secretctl import' and python-dotenv read it back to
                  the same bytes (python-dotenv expands ${VAR} unless interpolate=False, so such
                  values are named in a warning). A value ending in a backslash is written
                  without quotes when it is plain ASCII, because python-dotenv misreads \\
                  right before a closing quote; any other such value is named in a warning.
            json: an object of name -> string. \
            Values that are not UTF-8 text cannot be written as text: the command refuses and \
            names them (leave them out with --only, or read them with 'secretctl get'). \
            There is no output file option: redirect stdout if you must, and prefer \
            'secretctl exec' so values never touch the disk.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "env or json.")
    var format: Format = .env

    @Option(help: "Only these entries (comma-separated, or repeat the option).")
    var only: [String] = []

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        let store = try global.store(context)
        let vault = try store.open()
        try VaultEditor.checkSelection(only, vault.contents, vaultPath: store.path)
        let entries = try EntrySelection.select(vault.contents, only: only, vaultPath: store.path)
        let pairs = entries.map { (name: $0.name, value: $0.current.value) }
        let output: SecureBytes
        switch format {
        case .env:
            output = try DotenvWriter.write(pairs)
            let interpolated = pairs.filter { DotenvWriter.needsInterpolationWarning($0.value) }.map(\.name)
            if !interpolated.isEmpty {
                context.warn("\(interpolated.joined(separator: ", ")) \(interpolated.count == 1 ? "contains" : "contain") '${', which python-dotenv (unless interpolate=False) and docker compose expand when they read the file")
            }
            let misread = pairs.filter { DotenvWriter.pythonDotenvMisreads($0.value) }.map(\.name)
            if !misread.isEmpty {
                context.warn("\(misread.joined(separator: ", ")) \(misread.count == 1 ? "ends" : "end") with a backslash inside quotes, which python-dotenv misreads (secretctl import reads it correctly); use --format json for python")
            }
        case .json:
            output = try JSONSecretWriter.write(pairs)
        }
        if context.stdout.isTerminal {
            context.warn("printing secret values on a terminal: they stay in its scrollback; pipe the output instead, or use 'secretctl exec'")
        }
        if entries.isEmpty { context.note("the vault has no entries to export") }
        context.stdout.write(output)
        return 0
    }
}
