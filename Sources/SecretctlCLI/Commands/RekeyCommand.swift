import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct RekeyCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey",
        abstract: "Replace the data key and the key file, keeping every value (after a key may have leaked).",
        discussion: """
            The new key file replaces the old one at the default path. A passphrase, if the vault has one,
            is kept: give it through SECRETCTL_PASSPHRASE or the prompt. Re-keying does not un-leak
            values someone already read: rotate those too.
            """)

    @OptionGroup var global: GlobalOptions

    func run(in context: CommandContext) async throws -> Int32 {
        let store = try global.store(context)
        let newKeyPath = try store.update { (vault) throws(SecretctlError) -> String in
            let vaultID = vault.vaultID
            let dataKey = try cryptoCall { () throws(CryptoError) in try SecureRandom.secureBytes(AESGCM.keySize) }
            let key = try cryptoCall { () throws(CryptoError) in try SecureRandom.secureBytes(KeyFile.keySize) }
            var unlockers = [try cryptoCall { () throws(CryptoError) in try VaultCrypto.keyUnlocker(dataKey: dataKey, key: key, keyID: try VaultCrypto.newKeyID(), vaultID: vaultID) }]
            if case let .passphrase(parameters, _, _, _)? = vault.header.unlockers.first(where: \.isPassphrase) {
                let passphrase = try currentPassphrase(context)
                // The typed passphrase must open the old unlocker, so a typo cannot lock the owner out.
                guard (try? VaultCrypto.unwrap(VaultHeader(vaultID: vaultID, unlockers: vault.header.unlockers.filter(\.isPassphrase)), with: .passphrase(passphrase))) != nil else {
                    throw SecretctlError(.noKey, "that passphrase does not open \(store.path); nothing was changed")
                }
                unlockers.append(try cryptoCall { () throws(CryptoError) in try VaultCrypto.passphraseUnlocker(dataKey: dataKey, passphrase: passphrase, parameters: parameters, vaultID: vaultID) })
            }
            // Teammates keep access: their lines are wrapped again from their public keys alone.
            for case let .recipient(name, recipientKey, _, _, _) in vault.header.unlockers {
                let recipient = try Recipient(publicKey: recipientKey)
                unlockers.append(try cryptoCall { () throws(CryptoError) in
                    try VaultCrypto.recipientUnlocker(dataKey: dataKey, recipient: recipient, name: name, vaultID: vaultID)
                })
            }
            guard unlockers.count <= VaultHeader.maximumUnlockers else {
                throw SecretctlError(.failure, "the re-keyed vault would have \(unlockers.count) unlockers, more than \(VaultHeader.maximumUnlockers)",
                    hint: "remove a recipient first ('secretctl recipients rm NAME')")
            }
            let finalPath = KeyFile.defaultPath(vaultID: vaultID, environment: context.environment)
            let pendingPath = finalPath + ".new"
            try FileSystem.makeDirectories(Path.parent(finalPath), mode: 0o700)
            FileSystem.remove(pendingPath)
            try FileSystem.createExclusive(pendingPath, mode: 0o600, contents: KeyFile.encode(key))
            vault.header.unlockers = unlockers
            vault.dataKey = dataKey
            return finalPath
        }
        // The vault now needs the new key: move it into place (the old key is useless now).
        try FileSystem.replace(newKeyPath + ".new", with: newKeyPath)
        context.note("re-keyed \(store.path): new data key, new key file \(newKeyPath)")
        context.hint("back up the new key file and update SECRETCTL_KEY wherever CI uses it; the old key no longer opens the vault")
        context.hint("anyone who read values before still has them: rotate the values that may have leaked")
        return 0
    }

    private func currentPassphrase(_ context: CommandContext) throws(SecretctlError) -> SecureBytes {
        if let text = context.environment.variables["SECRETCTL_PASSPHRASE"], !text.isEmpty {
            return SecureBytes(copying: Array(text.utf8))
        }
        guard let typed = try context.prompter.readSecret(prompt: "Passphrase (kept on the re-keyed vault): ") else {
            throw SecretctlError(.usage, "the vault has a passphrase and there is no terminal to type it on",
                hint: "set SECRETCTL_PASSPHRASE, or remove the passphrase first with 'secretctl passphrase rm'")
        }
        return typed
    }
}
