import ArgumentParser
import SecretctlCore

struct HistoryCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show an entry's kept versions and their times. Never values.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name.")
    var name: String

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        try EntryName.validate(name)
        let store = try global.store(context)
        let entry = try VaultEditor.entry(try store.open().contents, name, vaultPath: store.path)
        var text = ""
        for (index, version) in entry.versions.enumerated() {
            text += "v\(version.number)  \(TimeFormat.rfc3339(version.created))\(index == 0 ? "  current" : "")\n"
        }
        context.stdout.write(text)
        return 0
    }
}
