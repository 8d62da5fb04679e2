/// The entries a command works on: all of them, or those named by `--only`.
package enum EntrySelection {
    /// `only` holds names, each possibly a comma-separated list. Every unknown name is
    /// reported at once (exit 1); the result is in name order.
    ///
    /// A missing name is shown only when it is a valid entry name and not one of the vault's
    /// values (nor part of an option that is one); the others are told by length, as
    /// `VaultEditor.checkSelection` (which callers run first) refuses them.
    package static func select(_ contents: VaultContents, only: [String], vaultPath: String) throws(SecretctlError) -> [Entry] {
        let names = only.flatMap { $0.split(separator: ",", omittingEmptySubsequences: true).map(String.init) }
        guard !only.isEmpty else { return contents.sortedEntries }
        guard !names.isEmpty else { throw SecretctlError(.usage, "--only needs at least one entry name") }
        guard names.contains(where: { contents[$0] == nil }) else {
            let wanted = Set(names)
            return contents.sortedEntries.filter { wanted.contains($0.name) }
        }
        var shown: [String] = []
        var hidden: [String] = []
        var seen = Set<String>()
        for option in only {
            let wholeIsValue = VaultEditor.isStoredValue(option, contents)
            for part in option.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
            where contents[part] == nil && seen.insert(part).inserted {
                if !wholeIsValue && EntryName.isValid(part) && !VaultEditor.isStoredValue(part, contents) {
                    shown.append(part)
                } else {
                    hidden.append(part)
                }
            }
        }
        if hidden.isEmpty {
            throw SecretctlError(.failure, "no entry named \(shown.joined(separator: ", ")) in \(vaultPath); nothing was written",
                hint: "run 'secretctl list' to see the names")
        }
        let lengths = hidden.map { EntryName.length($0) }.joined(separator: ", ")
        let notShown = "\(hidden.count == 1 ? "1 name" : "\(hidden.count) names") not shown (\(lengths); not a valid entry name, or a value of the vault)"
        let message = shown.isEmpty
            ? "no entry by that name in \(vaultPath); --only was given \(notShown); nothing was written"
            : "no entry named \(shown.joined(separator: ", ")) in \(vaultPath), nor by \(notShown); nothing was written"
        throw SecretctlError(.failure, message, hint: EntryName.valueHint)
    }
}
