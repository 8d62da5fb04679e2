import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct InitCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a vault and its key file.",
        discussion: """
            The key file goes to $XDG_CONFIG_HOME/secretctl/keys/<vault-id>.key (mode 0600) and \
            never into the project. Back it up somewhere safe: without it (or a passphrase) the \
            vault cannot be opened.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also protect the vault with a passphrase (SECRETCTL_PASSPHRASE or a prompt).")
    var passphrase = false

    @Flag(help: "Use only a passphrase: no key file.")
    var passphraseOnly = false

    @Option(help: "scrypt work factor for the passphrase, as log2 N (10-20).")
    var scryptWorkFactor: Int = ScryptParameters.default.log2N

    func run(in context: CommandContext) async throws -> Int32 {
        let store = try global.store(context)
        guard !store.exists else {
            throw SecretctlError(.failure, "a vault already exists at \(store.path); secretctl init never overwrites one",
                hint: "use it as it is, or pick another --env")
        }
        let parameters = ScryptParameters(log2N: scryptWorkFactor, r: ScryptParameters.default.r, p: ScryptParameters.default.p)
        if let problem = parameters.problem { throw SecretctlError(.usage, problem) }
        let wantPassphrase = passphrase || passphraseOnly
        let typed = wantPassphrase ? try PassphraseInput.newPassphrase(context) : nil

        let vaultID = try VaultCrypto.newVaultID()
        let dataKey = try SecureRandom.secureBytes(AESGCM.keySize)
        var unlockers: [Unlocker] = []
        var keyPath: String?
        if !passphraseOnly {
            let key = try SecureRandom.secureBytes(KeyFile.keySize)
            unlockers.append(try VaultCrypto.keyUnlocker(dataKey: dataKey, key: key, keyID: try VaultCrypto.newKeyID(), vaultID: vaultID))
            let path = KeyFile.defaultPath(vaultID: vaultID, environment: context.environment)
            try FileSystem.makeDirectories(Path.parent(path), mode: 0o700)
            try FileSystem.createExclusive(path, mode: 0o600, contents: KeyFile.encode(key))
            keyPath = path
        }
        if let typed {
            unlockers.append(try VaultCrypto.passphraseUnlocker(dataKey: dataKey, passphrase: typed, parameters: parameters, vaultID: vaultID))
        }
        do {
            try store.create(header: VaultHeader(vaultID: vaultID, unlockers: unlockers), dataKey: dataKey)
        } catch {
            if let keyPath { FileSystem.remove(keyPath) }
            throw error
        }
        context.note("created vault \(store.path)")
        if let keyPath {
            context.note("key file: \(keyPath) (mode 0600)")
            context.hint("back up the key file now (a password manager is a good place): without it the vault cannot be opened")
            context.hint("for CI, store its contents as the secret SECRETCTL_KEY")
        } else {
            context.note("unlocks with the passphrase only; nothing else can open it")
        }
        return 0
    }
}
