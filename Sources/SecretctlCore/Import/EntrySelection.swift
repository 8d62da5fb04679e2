/// The entries a command works on: all of them, or those named by `--only`.
package enum EntrySelection {
    /// `only` holds names, each possibly a comma-separated list. Every unknown name is
    /// reported at once (exit 1); the result is in name order.
    package static func select(_ contents: VaultContents, only: [String], vaultPath: String) throws(SecretctlError) -> [Entry] {
        let names = only.flatMap { $0.split(separator: ",", omittingEmptySubsequences: true).map(String.init) }
        guard !only.isEmpty else { return contents.sortedEntries }
        guard !names.isEmpty else { throw SecretctlError(.usage, "--only needs at least one entry name") }
        let missing = names.filter { contents[$0] == nil }
        if !missing.isEmpty {
            var seen = Set<String>()
            let unique = missing.filter { seen.insert($0).inserted }
            throw SecretctlError(.failure, "no entry named \(unique.joined(separator: ", ")) in \(vaultPath); nothing was written",
                hint: "run 'secretctl list' to see the names")
        }
        let wanted = Set(names)
        return contents.sortedEntries.filter { wanted.contains($0.name) }
    }
}
