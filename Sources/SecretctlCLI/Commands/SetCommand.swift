import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct SetCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Store a value: typed at a no-echo prompt, piped on stdin, or read from a file.",
        discussion: """
            From a pipe, one trailing "\\n" or "\\r\\n" is removed (--raw keeps the bytes exactly). \
            Values on the command line are refused: they end up in shell history and ps.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name (a Kubernetes Secret key).")
    var name: String

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var valueOnCommandLine: [String] = []

    @Flag(help: "Keep piped bytes exactly; do not remove a trailing line break.")
    var raw = false

    @Option(name: .customLong("from-file"), help: "Read the value from a file, bytes exactly.")
    var fromFile: String?

    @Flag(help: "Allow an empty value.")
    var allowEmpty = false

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        guard valueOnCommandLine.isEmpty else {
            throw SecretctlError(.usage, "refusing a value on the command line: it would land in shell history and in ps",
                hint: "type it at the prompt ('secretctl set NAME'), pipe it ('... | secretctl set NAME') or use --from-file")
        }
        try EntryName.validate(name)
        let value = try ValueInput.read(context, name: name, fromFile: fromFile, raw: raw)
        try VaultEditor.checkValue(value, allowEmpty: allowEmpty)
        let store = try global.store(context)
        let version = try store.update { (vault) throws(SecretctlError) in
            try VaultEditor.checkName(name, vault.contents, newValue: value)
            VaultEditor.set(&vault.contents, name: name, value: value, recipe: nil, keepRecipe: false, now: context.clock())
            return vault.contents[name]!.current.number
        }
        if !EntryName.isEnvironmentVariableName(name) {
            context.warn("\(name) is not a valid environment variable name: envFrom will skip it without an error")
        }
        context.note("set \(name) (v\(version))")
        return 0
    }
}
