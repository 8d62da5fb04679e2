package import SecretctlCrypto

/// The changes commands make to a vault's contents and unlockers, independent of how the
/// vault is stored or how values arrive.
package enum VaultEditor {
    /// Throws when `value` cannot be stored. The messages leave the entry's name out: there is
    /// one name on the command line, and it is not yet known not to be a pasted value.
    package static func checkValue(_ value: SecretValue, allowEmpty: Bool) throws(SecretctlError) {
        if value.isEmpty, !allowEmpty {
            throw SecretctlError(.usage, "the value is empty", hint: "pass --allow-empty if an empty value is intended")
        }
        if value.count > VaultContents.maximumValueSize {
            throw SecretctlError(.usage, "the value is \(value.count) bytes; a Kubernetes Secret holds at most 1 MiB")
        }
    }

    /// Refuses a new entry whose name is one of the vault's values (any kept version) or the
    /// value about to be stored: such a name is a value typed where the name goes, and as an
    /// entry name it would be printed by 'list', 'set' and every error that names the entry.
    package static func checkName(_ name: String, _ contents: VaultContents, newValue: SecretValue? = nil) throws(SecretctlError) {
        guard contents[name] == nil else { return }
        if isStoredValue(name, contents) || newValue.map({ equals(name, $0) }) == true {
            throw SecretctlError(.usage, "refusing that entry name: it is a value, not a name (\(EntryName.length(name)))",
                hint: EntryName.valueHint)
        }
    }

    /// Stores `value` as the entry's next version (or a new entry's first).
    package static func set(
        _ contents: inout VaultContents, name: String, value: SecretValue, recipe: Recipe?, keepRecipe: Bool, now: Int64
    ) {
        if var entry = contents[name] {
            entry.push(value, at: now)
            if !keepRecipe { entry.recipe = recipe }
            contents[name] = entry
        } else {
            contents[name] = Entry(name: name, recipe: recipe, versions: [EntryVersion(number: 1, created: now, value: value)])
        }
    }

    /// The entry called `name`, or a usage error for a name no entry can have, or a failure.
    ///
    /// An argument that is not an entry's name may be a value typed in the wrong place, so the
    /// rule for repeating it is: only a valid name (`EntryName`, which refuses `:`, `/`, `@`,
    /// spaces, `+`, `=` and anything over 253 characters) that is not byte for byte one of this
    /// vault's values, current or kept, is shown. Anything else gets "no entry by that name".
    /// A value of this vault is thus never repeated; a name-like value of another vault or
    /// system still can be, as names are not secrets and cannot be told apart from one.
    package static func entry(_ contents: VaultContents, _ name: String, vaultPath: String) throws(SecretctlError) -> Entry {
        try EntryName.validate(name)
        guard let entry = contents[name] else {
            if isStoredValue(name, contents) {
                throw SecretctlError(.failure, "no entry by that name in \(vaultPath); the argument (\(EntryName.length(name))) is one of its values, so it is not shown",
                    hint: EntryName.valueHint)
            }
            throw SecretctlError(.failure, "no entry named \(name) in \(vaultPath)", hint: "run 'secretctl list' to see the names")
        }
        return entry
    }

    /// Checks the names `--only` asks for before `EntrySelection` lists the missing ones by name:
    /// a name no entry can have, or a missing one that is a value (the whole option or one of
    /// its comma-separated parts), is refused as `entry` refuses it, without being repeated.
    package static func checkSelection(_ only: [String], _ contents: VaultContents, vaultPath: String) throws(SecretctlError) {
        for option in only {
            let names = option.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
            let suspects = (isStoredValue(option, contents) ? [option] : [])
                + names.filter { contents[$0] == nil && (!EntryName.isValid($0) || isStoredValue($0, contents)) }
            for name in suspects { _ = try entry(contents, name, vaultPath: vaultPath) }
        }
    }

    /// Whether `text` is, byte for byte, one of the vault's values (any kept version).
    package static func isStoredValue(_ text: String, _ contents: VaultContents) -> Bool {
        contents.sortedEntries.contains { entry in entry.versions.contains { equals(text, $0.value) } }
    }

    private static func equals(_ text: String, _ value: SecretValue) -> Bool {
        value.count == text.utf8.count && value.withUnsafeBytes { $0.elementsEqual(text.utf8) }
    }

    /// Makes a previous value current again, as a new version. Returns the version restored.
    package static func rollback(_ contents: inout VaultContents, name: String, to target: UInt32?, now: Int64, vaultPath: String) throws(SecretctlError) -> UInt32 {
        var entry = try entry(contents, name, vaultPath: vaultPath)
        let previous = entry.versions.dropFirst()
        guard let source = target.map({ number in previous.first { $0.number == number } }) ?? previous.first else {
            if let target {
                let kept = previous.map { String($0.number) }.joined(separator: ", ")
                throw SecretctlError(.failure, "\(name) has no kept version \(target)",
                    hint: kept.isEmpty ? "no previous versions are kept" : "kept versions: \(kept)")
            }
            throw SecretctlError(.failure, "\(name) has no previous version to roll back to")
        }
        entry.push(source.value, at: now)
        contents[name] = entry
        return source.number
    }

    /// Makes a new value by the entry's recipe, keeping the old one in history.
    package static func rotate(_ contents: inout VaultContents, name: String, now: Int64, vaultPath: String) throws(SecretctlError) -> Entry {
        var entry = try entry(contents, name, vaultPath: vaultPath)
        guard let recipe = entry.recipe else {
            throw SecretctlError(.failure, "\(name) was set by hand, so secretctl cannot make a new value for it",
                hint: "set a new value with 'secretctl set \(name)' (the old one stays in history), or 'secretctl generate \(name) --force'")
        }
        // The format lets a recipe ask for up to 1 MiB of random bytes, but encoded that is more
        // than a value may hold: storing it would write a vault no reader accepts.
        let value = SecretValue(try SecretGenerator.generate(recipe))
        guard value.count <= VaultContents.maximumValueSize else {
            throw SecretctlError(.failure, "\(name)'s recipe (\(recipe.summary)) makes a value over 1 MiB, more than a Secret holds; nothing was changed",
                hint: "give it a smaller recipe with 'secretctl generate \(name) --force --bytes N'")
        }
        entry.push(value, at: now)
        contents[name] = entry
        return entry
    }

    // MARK: - Unlockers

    /// Wraps the vault's data key for one more unlocker (a passphrase, a recipient) and adds its
    /// line, after removing the lines `replacing` picks (a new passphrase replaces the old one).
    /// The header's limit is checked before `wrap` runs, as a passphrase wrap costs a second of scrypt.
    package static func addUnlocker(
        to vault: inout OpenedVault, vaultPath: String, replacing: (Unlocker) -> Bool = { _ in false },
        wrap: (_ dataKey: SecureBytes, _ vaultID: String) throws(CryptoError) -> Unlocker
    ) throws(SecretctlError) {
        var unlockers = vault.header.unlockers
        unlockers.removeAll(where: replacing)
        guard unlockers.count < VaultHeader.maximumUnlockers else {
            throw SecretctlError(.failure, "\(vaultPath) already has \(VaultHeader.maximumUnlockers) unlockers, the most a vault holds")
        }
        do {
            unlockers.append(try wrap(vault.dataKey, vault.vaultID))
        } catch {
            throw SecretctlError(.failure, "cryptographic operation failed: \(error)")
        }
        vault.header.unlockers = unlockers
    }
}
