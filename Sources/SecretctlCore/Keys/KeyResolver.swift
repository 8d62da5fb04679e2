package import SecretctlCrypto

/// Finds a key that unlocks a vault, trying the sources in the documented order:
/// `SECRETCTL_KEY`, `SECRETCTL_KEY_FILE`, `SECRETCTL_IDENTITY`, `SECRETCTL_IDENTITY_FILE`,
/// the default key file, the default identity file, `SECRETCTL_PASSPHRASE`, then a
/// no-echo prompt on the terminal. Explicit settings come before default files, so CI
/// and tests choose exactly what unlocks, and one that fails is an error, never skipped.
/// A source is tried only when the vault has an unlocker of its kind (key files for `key`
/// lines, identities for `recipient` lines).
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
            if tried.last != source { tried.append(source) }
            do {
                return try VaultCrypto.unwrap(header, with: key)
            } catch {
                throw SecretctlError(.damaged, "\(vaultPath): \(error)")
            }
        }

        func firstOpening(_ keys: [KeyFile.Key], _ source: String) throws(SecretctlError) -> SecureBytes? {
            for key in keys {
                if let dataKey = try attempt(.key(key.material), source) { return dataKey }
            }
            return nil
        }

        // Sources the user named (variables). When one opens the vault, it is used; when some
        // were tried and none opens it, that is an error naming them, never a reason to go on
        // to the default files: that would let a CI job believe its key works.
        var named: [(variable: String, why: String)] = []
        if hasKey {
            if let text = environment["SECRETCTL_KEY"] {
                let keys = try KeyFile.decodeAll(SecureBytes(copying: Array(text.utf8)), source: "SECRETCTL_KEY")
                if let dataKey = try firstOpening(keys, "SECRETCTL_KEY") { return dataKey }
                named.append(("SECRETCTL_KEY", "a wrong key"))
            }
            if let path = environment["SECRETCTL_KEY_FILE"] {
                let keys = try KeyFile.readAll(environment.path(path))
                if let dataKey = try firstOpening(keys, "SECRETCTL_KEY_FILE") { return dataKey }
                named.append(("SECRETCTL_KEY_FILE", "a wrong key in \(environment.path(path))"))
            }
        }
        if hasRecipient {
            if let text = environment["SECRETCTL_IDENTITY"] {
                let identity = try Identity(parsing: SecureBytes(copying: Array(text.utf8)), source: "SECRETCTL_IDENTITY")
                let source = "SECRETCTL_IDENTITY (\(identity.recipient.shortString))"
                if let dataKey = try attempt(.identity(identity), source) { return dataKey }
                named.append((source, "not one of its recipients"))
            }
            if let path = environment["SECRETCTL_IDENTITY_FILE"] {
                let identity = try Identity.read(environment.path(path))
                let source = "SECRETCTL_IDENTITY_FILE (\(identity.recipient.shortString))"
                if let dataKey = try attempt(.identity(identity), source) { return dataKey }
                named.append((source, "not one of its recipients"))
            }
        }
        if !named.isEmpty {
            let which = named.map { "\($0.variable): \($0.why)" }.joined(separator: "; ")
            let variables = named.map { $0.variable.split(separator: " ")[0] }.joined(separator: " / ")
            var hint = "set \(variables) to a key that opens this vault, or unset it to use the default key file or identity"
            if named.contains(where: { $0.variable.hasPrefix("SECRETCTL_IDENTITY") }) {
                hint += "; if you are not listed ('secretctl recipients list'), send the recipient string from 'secretctl keygen' to a teammate who can open the vault"
            }
            let plural = named.count > 1
            throw SecretctlError(.noKey,
                "\(named.map(\.variable).joined(separator: ", ")) \(plural ? "are" : "is") set but \(plural ? "do" : "does") not open \(vaultPath) (\(which)); "
                    + "secretctl does not fall back to other keys when one is named",
                hint: hint)
        }

        if hasKey {
            let defaultPath = KeyFile.defaultPath(vaultID: header.vaultID, environment: environment)
            // The default file may be a key ring: the current key, then the keys `rekey` retired,
            // which open older copies of the vault. `.new` is a key left by an interrupted `rekey`
            // of an earlier secretctl, which wrote it before its rename.
            for path in [defaultPath, defaultPath + ".new"] where FileSystem.exists(path) {
                if let dataKey = try firstOpening(try KeyFile.readAll(path), "key file \(path)") { return dataKey }
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
