package import SecretctlCrypto

/// Finds a key that unlocks a vault, trying the sources in the documented order:
/// `SECRETCTL_KEY`, `SECRETCTL_KEY_FILE`, `SECRETCTL_IDENTITY`, `SECRETCTL_IDENTITY_FILE`,
/// the default key file, the default identity file, `SECRETCTL_PASSPHRASE`, then a
/// no-echo prompt on the terminal. Explicit settings come before default files, so CI
/// and tests choose exactly what unlocks; a source is tried only when the vault has an
/// unlocker of its kind (key files for `key` lines, identities for `recipient` lines).
package struct KeyResolver: Sendable {
    package var environment: ProcessEnvironment
    package var prompter: any SecretPrompter

    package init(environment: ProcessEnvironment, prompter: any SecretPrompter) {
        self.environment = environment
        self.prompter = prompter
    }

    /// The data key of `header`, or an exit-77 error saying what was tried.
    package func dataKey(for header: VaultHeader, vaultPath: String, allowPrompt: Bool = true) throws(SecretctlError) -> SecureBytes {
        var tried: [String] = []
        let hasPassphrase = header.unlockers.contains(where: \.isPassphrase)
        let hasKey = header.unlockers.contains { !$0.isPassphrase && !$0.isRecipient }
        let hasRecipient = header.unlockers.contains(where: \.isRecipient)

        func attempt(_ key: UnlockKey, _ source: String) throws(SecretctlError) -> SecureBytes? {
            tried.append(source)
            do {
                return try VaultCrypto.unwrap(header, with: key)
            } catch {
                throw SecretctlError(.damaged, "\(vaultPath): \(error)")
            }
        }

        if hasKey {
            if let text = environment["SECRETCTL_KEY"] {
                let key = try KeyFile.decode(SecureBytes(copying: Array(text.utf8)), source: "SECRETCTL_KEY")
                if let dataKey = try attempt(.key(key), "SECRETCTL_KEY") { return dataKey }
            }
            if let path = environment["SECRETCTL_KEY_FILE"] {
                let key = try KeyFile.read(environment.path(path))
                if let dataKey = try attempt(.key(key), "SECRETCTL_KEY_FILE") { return dataKey }
            }
        }
        if hasRecipient {
            if let text = environment["SECRETCTL_IDENTITY"] {
                let identity = try Identity(parsing: SecureBytes(copying: Array(text.utf8)), source: "SECRETCTL_IDENTITY")
                if let dataKey = try attempt(.identity(identity), "SECRETCTL_IDENTITY (\(identity.recipient.shortString))") { return dataKey }
            }
            if let path = environment["SECRETCTL_IDENTITY_FILE"] {
                let identity = try Identity.read(environment.path(path))
                if let dataKey = try attempt(.identity(identity), "SECRETCTL_IDENTITY_FILE (\(identity.recipient.shortString))") { return dataKey }
            }
        }
        if hasKey {
            let defaultPath = KeyFile.defaultPath(vaultID: header.vaultID, environment: environment)
            // `.new` is a key written by an interrupted `rekey`, before its rename.
            for path in [defaultPath, defaultPath + ".new"] where FileSystem.exists(path) {
                if let dataKey = try attempt(.key(try KeyFile.read(path)), "key file \(path)") { return dataKey }
            }
        }
        if hasRecipient {
            let path = Identity.defaultPath(environment: environment)
            if FileSystem.exists(path) {
                let identity = try Identity.read(path)
                if let dataKey = try attempt(.identity(identity), "identity file \(path) (\(identity.recipient.shortString))") { return dataKey }
            }
        }
        if hasPassphrase {
            if let text = environment.variables["SECRETCTL_PASSPHRASE"], !text.isEmpty {
                if let dataKey = try attempt(.passphrase(SecureBytes(copying: Array(text.utf8))), "SECRETCTL_PASSPHRASE") { return dataKey }
            } else if allowPrompt, let typed = try prompter.readSecret(prompt: "Passphrase for \(Path.lastComponent(vaultPath)): ") {
                if let dataKey = try attempt(.passphrase(typed), "the passphrase typed") { return dataKey }
            }
        }

        let what = tried.isEmpty ? "no key was found" : "tried \(tried.joined(separator: ", "))"
        var ways: [String] = []
        if hasKey {
            ways.append("set SECRETCTL_KEY or SECRETCTL_KEY_FILE, or restore the key file to \(KeyFile.defaultPath(vaultID: header.vaultID, environment: environment))")
        }
        if hasPassphrase { ways.append("give the passphrase (SECRETCTL_PASSPHRASE or the prompt)") }
        if hasRecipient {
            ways.append("as a recipient, set SECRETCTL_IDENTITY or keep your identity at \(Identity.defaultPath(environment: environment)); "
                + "if you are not listed ('secretctl recipients list'), send the recipient string from 'secretctl keygen' to a teammate who can open the vault")
        }
        let hint = ways.joined(separator: ", or ")
        throw SecretctlError(.noKey, "no key in hand unlocks \(vaultPath) (\(what))", hint: hint)
    }
}
