import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct RekeyCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey",
        abstract: "Replace the data key and the key file, keeping every value (after a key may have leaked).",
        discussion: """
            The default key file becomes a key ring: the new key first, and the old keys after it as retired keys, \
            so copies of the vault from before (git history, other branches, backups) still open on this machine \
            and still merge. 'secretctl forget-retired-keys' removes the retired keys when no copy needs them.

            A passphrase, if the vault has one, is kept: give it through SECRETCTL_PASSPHRASE or the prompt. \
            Re-keying does not un-leak values someone already read: rotate those too.
            """)

    @OptionGroup var global: GlobalOptions

    func run(in context: CommandContext) async throws -> Int32 {
        let store = try global.store(context)
        let (newKeyPath, retired) = try store.update { (vault) throws(SecretctlError) -> (String, Int) in
            let vaultID = vault.vaultID
            let dataKey = try cryptoCall { () throws(CryptoError) in try SecureRandom.secureBytes(AESGCM.keySize) }
            let key = try cryptoCall { () throws(CryptoError) in try SecureRandom.secureBytes(KeyFile.keySize) }
            let keyID = try cryptoCall { () throws(CryptoError) in try VaultCrypto.newKeyID() }
            var unlockers = [try cryptoCall { () throws(CryptoError) in try VaultCrypto.keyUnlocker(dataKey: dataKey, key: key, keyID: keyID, vaultID: vaultID) }]
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
            // The ring (new key first, every old key after it) is durable before the vault that
            // needs the new key is saved: at no moment does the key file fail to open the vault on disk.
            let path = KeyFile.defaultPath(vaultID: vaultID, environment: context.environment)
            let ring = try KeyRing.afterRekey(newKey: KeyFile.Key(keyID: keyID, material: key), header: vault.header, environment: context.environment)
            try KeyRing.write(ring, to: path, vaultID: vaultID)
            vault.header.unlockers = unlockers
            vault.dataKey = dataKey
            return (path, ring.count - 1)
        }
        // Its key is in the ring now; an earlier secretctl's interrupted rekey left it here.
        FileSystem.remove(newKeyPath + ".new")
        context.note("re-keyed \(store.path): new data key, new key \(newKeyPath)")
        if retired > 0 {
            context.note("the key file keeps \(retired) retired \(retired == 1 ? "key" : "keys") after the new one, so older copies of the vault still open here; "
                + "'secretctl forget-retired-keys' removes them")
        }
        context.hint("back up the key file and update SECRETCTL_KEY wherever CI uses it (the first 'key' line, or the whole file); the old key no longer opens this vault")
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
