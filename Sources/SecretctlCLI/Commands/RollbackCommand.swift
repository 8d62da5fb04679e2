import ArgumentParser
import SecretctlCore

struct RollbackCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make an earlier value current again, as a new version.",
        discussion: """
            The restored value becomes the next version; no earlier value is pushed out of the kept history \
            (when the history is full, the older copy of the restored value makes room). \
            'secretctl history NAME' lists the versions '--to' accepts.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name.")
    var name: String

    @Option(help: "The version to restore (default: the one before the current).")
    var to: UInt32?

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        try EntryName.validate(name)
        let store = try global.store(context)
        let (restored, current, stillListed) = try store.update { (vault) throws(SecretctlError) in
            let restored = try VaultEditor.rollback(&vault.contents, name: name, to: to, now: context.clock(), vaultPath: store.path)
            let entry = vault.contents[name]!
            return (restored, entry.current.number, entry.versions.contains { $0.number == restored })
        }
        context.note("\(name): v\(restored) is current again as v\(current)"
            + (stillListed ? "" : " (v\(restored) left the history to make room: its value is v\(current) now)"))
        return 0
    }
}
