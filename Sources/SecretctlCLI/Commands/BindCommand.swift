import ArgumentParser
import SecretctlCore

struct BindCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "bind",
        abstract: "Bind the vault to the environment its file is named after (renaming an environment on purpose).",
        discussion: """
            A vault records the environment it belongs to, so a copy of secrets/dev.vault saved as \
            secrets/prod.vault is refused instead of deploying dev's values to prod. To rename an \
            environment on purpose, rename the file and bind it:

              git mv secrets/staging.vault secrets/preprod.vault
              secretctl bind --env preprod
            """)

    @OptionGroup var global: GlobalOptions

    func run(in context: CommandContext) async throws -> Int32 {
        let store = try global.store(context)
        guard let name = store.environmentName else {
            throw SecretctlError(.usage, "\(store.path) is not named <environment>.vault, so there is no environment to bind it to",
                hint: "rename it to secrets/NAME.vault first")
        }
        let previous = try store.update(rebinding: true) { (vault) throws(SecretctlError) -> String? in vault.header.environment }
        if let previous, previous != name {
            context.note("bound \(store.path) to environment \(name) (it was \(previous))")
        } else {
            context.note("\(store.path) is bound to environment \(name)")
        }
        return 0
    }
}
