import ArgumentParser
import SecretctlCore

struct ListCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List entry names with their version and last update. Never values.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON.")
    var json = false

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        let vault = try global.store(context).open()
        let entries = vault.contents.sortedEntries
        if json {
            let items = entries.map { entry in
                let recipe = entry.recipe.map { JSONText.quote($0.summary) } ?? "null"
                return "{\"name\":\(JSONText.quote(entry.name)),\"version\":\(entry.current.number),"
                    + "\"updated\":\(JSONText.quote(TimeFormat.rfc3339(entry.current.created))),"
                    + "\"previous\":\(entry.versions.count - 1),\"recipe\":\(recipe)}"
            }
            context.stdout.write("[" + items.joined(separator: ",") + "]\n")
            return 0
        }
        let width = entries.map(\.name.count).max() ?? 0
        var text = ""
        for entry in entries {
            let padding = String(repeating: " ", count: width - entry.name.count)
            text += "\(entry.name)\(padding)  v\(entry.current.number)  \(TimeFormat.rfc3339(entry.current.created))"
            if let recipe = entry.recipe { text += "  (\(recipe.summary))" }
            text += "\n"
        }
        context.stdout.write(text)
        if entries.isEmpty { context.note("the vault is empty; add a value with 'secretctl set NAME'") }
        return 0
    }
}
