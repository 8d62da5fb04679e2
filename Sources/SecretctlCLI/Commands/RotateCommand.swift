import ArgumentParser
import SecretctlCore

struct RotateCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Make a new value by the entry's recipe; the old one stays in history.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name.")
    var name: String

    func run(in context: CommandContext) async throws -> Int32 {
        let store = try global.store(context)
        let entry = try store.update { (vault) throws(SecretctlError) in
            try VaultEditor.rotate(&vault.contents, name: name, now: context.clock(), vaultPath: store.path)
        }
        context.note("rotated \(name) to v\(entry.current.number); v\(entry.versions[1].number) is kept in history")
        context.hint("pods read Secret values at start: apply and restart the workloads that use \(name)")
        return 0
    }
}
