import ArgumentParser
import SecretctlCore

struct TrustCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Accept the vault's current data key on this machine, after a key change nothing here could verify.",
        discussion: """
            Each machine remembers the data keys it accepted for a vault (in \
            $XDG_CONFIG_HOME/secretctl/known-keys/, as ssh's known_hosts). A new data key made by \
            'rekey', 'recipients rm' or 'passphrase rm' carries proof from the key before it and is \
            accepted without asking. A new key without that proof, which someone who is not a \
            recipient can commit, is refused by every command until you accept it here. Do that \
            only after checking with whoever re-keyed the vault; otherwise restore the last good \
            version from git.
            """)

    @OptionGroup var global: GlobalOptions

    func run(in context: CommandContext) async throws -> Int32 {
        let store = try global.store(context)
        let vault = try store.openUnchecked()
        let verdict = try KeyMemory.verdict(vault.header, dataKey: vault.dataKey, known: store.keyMemory.known(vaultID: vault.vaultID))
        store.remember(vault)
        let unlockers = vault.header.unlockers.map(\.label).joined(separator: ", ")
        switch verdict {
        case .known, .proven:
            context.note("\(store.path): its data key was already accepted on this machine (unlockers: \(unlockers))")
        case .firstUse, .unproven:
            context.note("accepted the data key of \(store.path) on this machine (unlockers: \(unlockers))")
        }
        return 0
    }
}
