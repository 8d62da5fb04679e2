import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct PassphraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passphrase",
        abstract: "Add or remove the vault's passphrase unlocker.",
        subcommands: [Add.self, Remove.self])

    struct Add: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add (or replace) a passphrase that unlocks the vault.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "scrypt work factor, as log2 N (10-20).")
        var scryptWorkFactor: Int = ScryptParameters.default.log2N

        func run(in context: CommandContext) async throws -> Int32 {
            let parameters = ScryptParameters(log2N: scryptWorkFactor, r: ScryptParameters.default.r, p: ScryptParameters.default.p)
            if let problem = parameters.problem { throw SecretctlError(.usage, problem) }
            let store = try global.store(context)
            // SECRETCTL_PASSPHRASE (or the first prompts) give the new passphrase, so the vault is
            // unlocked with a key, or with the current passphrase typed at the prompt (the only
            // way to change the passphrase of a passphrase-only vault).
            var environment = context.environment
            let newPassphrase = try PassphraseInput.newPassphrase(context)
            environment.variables["SECRETCTL_PASSPHRASE"] = nil
            let unlocking = VaultStore(path: store.path, environment: environment, prompter: context.prompter)
            try unlocking.update { (vault) throws(SecretctlError) in
                try VaultEditor.addUnlocker(to: &vault, vaultPath: store.path, replacing: \.isPassphrase) { (dataKey, vaultID) throws(CryptoError) in
                    try VaultCrypto.passphraseUnlocker(dataKey: dataKey, passphrase: newPassphrase, parameters: parameters, vaultID: vaultID)
                }
            }
            context.note("added a passphrase to \(store.path)")
            return 0
        }
    }

    struct Remove: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Remove the passphrase unlocker (a key file must remain).")

        @OptionGroup var global: GlobalOptions

        func run(in context: CommandContext) async throws -> Int32 {
            let store = try global.store(context)
            try store.update { (vault) throws(SecretctlError) in
                guard vault.header.unlockers.contains(where: \.isPassphrase) else {
                    throw SecretctlError(.failure, "\(store.path) has no passphrase")
                }
                guard vault.header.unlockers.contains(where: { !$0.isPassphrase }) else {
                    throw SecretctlError(.failure, "the passphrase is the vault's only unlocker; removing it would lock everyone out",
                        hint: "run 'secretctl rekey' first to add a key file")
                }
                vault.header.unlockers.removeAll(where: \.isPassphrase)
            }
            context.note("removed the passphrase from \(store.path)")
            return 0
        }
    }
}

/// Runs a crypto call, turning a `CryptoError` into a general failure.
func cryptoCall<R>(_ body: () throws(CryptoError) -> R) throws(SecretctlError) -> R {
    do {
        return try body()
    } catch {
        throw SecretctlError(.failure, "cryptographic operation failed: \(error)")
    }
}
