/// A value found somewhere: which entry, in which form, where. Never the value, never a hash.
package struct ScanFinding: Hashable, Sendable {
    /// The file path (relative to the repository top for git sources), or `-` for stdin.
    package var path: String
    /// For `--history`: the commit that introduced the blob.
    package var commit: String?
    package var line: Int
    package var owner: NeedleOwner
    /// Line breaks were skipped inside the match (a wrapped blob).
    package var wrapped: Bool

    package init(path: String, commit: String? = nil, line: Int, owner: NeedleOwner, wrapped: Bool) {
        self.path = path
        self.commit = commit
        self.line = line
        self.owner = owner
        self.wrapped = wrapped
    }

    package var name: String { owner.name }

    /// `path:line`, or `commit:path:line` for history.
    package var location: String {
        if let commit { return "\(commit.prefix(12)):\(path):\(line)" }
        return "\(path):\(line)"
    }

    /// The words inside the parentheses of `path:line: NAME (form)`.
    package func formDescription(showEnvironment: Bool) -> String {
        var parts = [owner.form.label]
        if wrapped { parts.append("line-wrapped") }
        if owner.isPartial { parts.append("part of a long value") }
        if showEnvironment { parts.append("env \(owner.environment)") }
        if !owner.isCurrent { parts.append("previous value v\(owner.version)") }
        return parts.joined(separator: "; ")
    }
}
