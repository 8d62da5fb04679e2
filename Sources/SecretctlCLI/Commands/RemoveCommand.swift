import ArgumentParser
import SecretctlCore

struct RemoveCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove an entry and its history.",
        discussion: """
            Every kept version goes with the entry. A vault committed to git still holds them: \
            'git checkout HEAD -- VAULT' brings the committed vault back (and with it undoes any other change made since that commit).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name.")
    var name: String

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        try EntryName.validate(name)
        let store = try global.store(context)
        let versions = try store.update { (vault) throws(SecretctlError) -> [UInt32] in
            let entry = try VaultEditor.entry(vault.contents, name, vaultPath: store.path)
            vault.contents[name] = nil
            return entry.versions.map(\.number)
        }
        let which = versions.count == 1 ? "its only version (v\(versions[0]))" : "all \(versions.count) kept versions (v\(versions.last!) to v\(versions[0]))"
        context.note("removed \(name) and \(which)")
        context.hint("to get it back, restore the vault from git if it was committed: 'git checkout HEAD -- \(store.path)' "
            + "(this also undoes other changes made since that commit), or from a backup")
        return 0
    }
}
