import ArgumentParser
import SecretctlCore

struct RollbackCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make an earlier value current again, as a new version.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name.")
    var name: String

    @Option(help: "The version to restore (default: the one before the current).")
    var to: UInt32?

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        try EntryName.validate(name)
        let store = try global.store(context)
        let (restored, current) = try store.update { (vault) throws(SecretctlError) in
            let restored = try VaultEditor.rollback(&vault.contents, name: name, to: to, now: context.clock(), vaultPath: store.path)
            return (restored, vault.contents[name]!.current.number)
        }
        context.note("\(name): v\(restored) is current again as v\(current)")
        return 0
    }
}
