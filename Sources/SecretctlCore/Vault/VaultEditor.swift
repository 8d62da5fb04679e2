package import SecretctlCrypto

/// The changes commands make to a vault's contents, independent of how the
/// vault is stored or how values arrive.
package enum VaultEditor {
    /// Why `value` cannot be stored, or nil.
    package static func checkValue(_ value: SecretValue, name: String, allowEmpty: Bool) throws(SecretctlError) {
        if value.isEmpty, !allowEmpty {
            throw SecretctlError(.usage, "the value for \(name) is empty", hint: "pass --allow-empty if an empty value is intended")
        }
        if value.count > VaultContents.maximumValueSize {
            throw SecretctlError(.usage, "the value for \(name) is \(value.count) bytes; a Kubernetes Secret holds at most 1 MiB")
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

    package static func entry(_ contents: VaultContents, _ name: String, vaultPath: String) throws(SecretctlError) -> Entry {
        guard let entry = contents[name] else {
            throw SecretctlError(.failure, "no entry named \(name) in \(vaultPath)", hint: "run 'secretctl list' to see the names")
        }
        return entry
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
        entry.push(SecretValue(try SecretGenerator.generate(recipe)), at: now)
        contents[name] = entry
        return entry
    }
}
