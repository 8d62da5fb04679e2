import ArgumentParser
import SecretctlCore

/// Options every vault command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Environment: uses secrets/<NAME>.vault (default: $SECRETCTL_ENV or dev).")
    var env: String?

    @Option(name: .long, help: "An explicit vault file (default: $SECRETCTL_VAULT).")
    var vault: String?

    init() {}

    func vaultPath(_ context: CommandContext) throws(SecretctlError) -> String {
        try ProjectLocator(environment: context.environment).vaultPath(vaultOption: vault, environmentOption: env)
    }

    func store(_ context: CommandContext) throws(SecretctlError) -> VaultStore {
        VaultStore(path: try vaultPath(context), environment: context.environment, prompter: context.prompter)
    }
}
