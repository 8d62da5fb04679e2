import SecretctlCrypto

/// The three-way merge behind `secretctl git merge`: per entry, a change on one side
/// wins over an unchanged entry; the same entry changed differently on both sides is
/// a conflict. Who can unlock the vault (the header) merges the same way, as a whole.
package enum VaultMerge {
    package enum Outcome: Sendable {
        /// The merged vault, to be sealed under the chosen header and data key.
        case merged(OpenedVault)
        /// Entries (by name) that changed differently on both sides, and whether the unlockers did.
        case conflict(entries: [String], unlockers: Bool)
    }

    /// Merges `ours` and `theirs` against `base` (nil when the file has no common ancestor).
    package static func merge(base: OpenedVault?, ours: OpenedVault, theirs: OpenedVault) -> Outcome {
        let baseContents = base?.contents ?? VaultContents()
        var merged = ours.contents
        var conflicts: [String] = []
        let names = Set(baseContents.names).union(ours.contents.names).union(theirs.contents.names)
        for name in names.sortedByBytes() {
            let (b, o, t) = (baseContents[name], ours.contents[name], theirs.contents[name])
            if same(o, t) || same(b, t) { continue }  // ours is already the answer
            if same(b, o) {
                merged[name] = t  // only theirs changed it (or removed it)
            } else {
                conflicts.append(name)
            }
        }

        let header: VaultHeader
        let dataKey: SecureBytes
        var unlockersConflict = false
        if ours.header == theirs.header || base.map({ $0.header.unlockers == theirs.header.unlockers }) == true {
            (header, dataKey) = (ours.header, ours.dataKey)
        } else if base.map({ $0.header.unlockers == ours.header.unlockers }) == true {
            (header, dataKey) = (theirs.header, theirs.dataKey)
        } else {
            (header, dataKey) = (ours.header, ours.dataKey)
            unlockersConflict = true
        }
        if !conflicts.isEmpty || unlockersConflict { return .conflict(entries: conflicts, unlockers: unlockersConflict) }
        return .merged(OpenedVault(header: header, dataKey: dataKey, contents: merged))
    }

    /// Whether two entries (or absences) are the same: recipe, history limit, and every version.
    package static func same(_ a: Entry?, _ b: Entry?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (a?, b?):
            guard a.name == b.name, a.recipe == b.recipe, a.historyLimit == b.historyLimit, a.versions.count == b.versions.count else { return false }
            return zip(a.versions, b.versions).allSatisfy { x, y in
                x.number == y.number && x.created == y.created && x.value.equals(y.value)
            }
        default: return false
        }
    }
}
