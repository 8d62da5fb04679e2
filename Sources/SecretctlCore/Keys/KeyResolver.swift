package import SecretctlCrypto

/// Finds a key that unlocks a vault, trying the sources in the documented order:
/// `SECRETCTL_KEY`, `SECRETCTL_KEY_FILE`, the default key file, `SECRETCTL_PASSPHRASE`,
/// then a no-echo prompt on the terminal.
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
        let hasKey = header.unlockers.contains { !$0.isPassphrase }

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
            let defaultPath = KeyFile.defaultPath(vaultID: header.vaultID, environment: environment)
            // `.new` is a key written by an interrupted `rekey`, before its rename.
            for path in [defaultPath, defaultPath + ".new"] where FileSystem.exists(path) {
                if let dataKey = try attempt(.key(try KeyFile.read(path)), "key file \(path)") { return dataKey }
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
        var hint = "set SECRETCTL_KEY or SECRETCTL_KEY_FILE, or restore the key file to \(KeyFile.defaultPath(vaultID: header.vaultID, environment: environment))"
        if hasPassphrase { hint += ", or give the passphrase (SECRETCTL_PASSPHRASE or the prompt)" }
        throw SecretctlError(.noKey, "no key in hand unlocks \(vaultPath) (\(what))", hint: hint)
    }
}
