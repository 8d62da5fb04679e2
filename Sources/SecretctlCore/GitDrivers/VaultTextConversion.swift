/// What `git diff` shows for a vault (the `textconv` driver): entry names, versions and
/// times, and who can unlock it. Never a value, never a hash of one.
///
/// Each line stands alone (no column alignment), so adding a long name changes only
/// its own line in a diff.
package enum VaultTextConversion {
    /// `file`'s lines; `contents` is nil when no key in hand opens it.
    package static func text(_ file: VaultFile, contents: VaultContents?, time: (Int64) -> String) -> String {
        var lines = ["# secretctl vault \(file.header.vaultID)"]
        for unlocker in file.header.unlockers { lines.append("# unlocker: \(unlocker.label)") }
        if let contents {
            for entry in contents.sortedEntries {
                lines.append("\(entry.name)  v\(entry.current.number)  \(time(entry.current.created))")
            }
        } else {
            lines.append("# (entries not shown: no key in hand opens this vault)")
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
