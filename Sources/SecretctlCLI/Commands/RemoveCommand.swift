import ArgumentParser
import SecretctlCore

struct RemoveCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove an entry and its history.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name.")
    var name: String

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        try EntryName.validate(name)
        let store = try global.store(context)
        try store.update { (vault) throws(SecretctlError) in
            _ = try VaultEditor.entry(vault.contents, name, vaultPath: store.path)
            vault.contents[name] = nil
        }
        context.note("removed \(name)")
        return 0
    }
}
