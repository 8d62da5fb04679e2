import ArgumentParser
import SecretctlCore

struct GetCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print a value's exact bytes on stdout (a line break is added only on a terminal).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name.")
    var name: String

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        try EntryName.validate(name)
        let store = try global.store(context)
        let vault = try store.open()
        let entry = try VaultEditor.entry(vault.contents, name, vaultPath: store.path)
        context.stdout.write(entry.current.value)
        if context.stdout.isTerminal { context.stdout.write("\n") }
        return 0
    }
}
