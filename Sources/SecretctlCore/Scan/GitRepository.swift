/// The git plumbing a scan needs, run through `GitRunner`. Every list is NUL-separated
/// (`-z`), so any file name survives.
package struct GitRepository: Sendable {
    package let git: GitRunner
    /// The work tree's top-level folder (absolute).
    package let topLevel: String

    package init(git: GitRunner, topLevel: String) {
        self.git = git
        self.topLevel = topLevel
    }

    /// The repository whose work tree holds `directory`, or nil when there is none.
    package static func find(from directory: String, git: GitRunner) async throws(SecretctlError) -> GitRepository? {
        let output = try await git.run(["rev-parse", "--show-toplevel"], in: directory)
        guard output.succeeded else { return nil }
        let top = output.text.split(separator: "\n").first.map(String.init) ?? ""
        guard !top.isEmpty else { return nil }
        return GitRepository(git: git, topLevel: top)
    }

    /// Tracked files plus untracked files git does not ignore, relative to `directory`
    /// (the top level when nil), limited to `pathspec` when given.
    package func workTreeFiles(in directory: String? = nil, pathspec: [String] = []) async throws(SecretctlError) -> [String] {
        var arguments = ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate"]
        if !pathspec.isEmpty { arguments += ["--"] + pathspec }
        let output = try await git.run(arguments, in: directory ?? topLevel)
        guard output.succeeded else {
            throw SecretctlError(.system, "git ls-files failed: \(output.firstErrorLine)")
        }
        return Self.splitNUL(output.stdout)
    }

    /// Whether git ignores `path` (a file or folder) in this work tree.
    package func isIgnored(_ path: String) async throws(SecretctlError) -> Bool {
        try await git.run(["check-ignore", "-q", "--", path], in: topLevel).status == 0
    }

    /// Blobs staged for the next commit that differ from HEAD (all staged blobs before the
    /// first commit): `(object name, path)`. Submodules are left out.
    package func stagedBlobs() async throws(SecretctlError) -> [(object: String, path: String)] {
        let head = try await git.run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], in: topLevel)
        if head.succeeded {
            let output = try await git.run(
                ["diff-index", "--cached", "-z", "--no-renames", "--diff-filter=ACMRT", "--ignore-submodules=all", "HEAD", "--"],
                in: topLevel)
            guard output.succeeded else { throw SecretctlError(.system, "git diff-index failed: \(output.firstErrorLine)") }
            // ":<old mode> <new mode> <old oid> <new oid> <status>" NUL "<path>" NUL
            var blobs: [(String, String)] = []
            let fields = Self.splitNUL(output.stdout)
            var index = 0
            while index + 1 < fields.count {
                let meta = fields[index].split(separator: " ")
                let path = fields[index + 1]
                index += 2
                guard meta.count >= 5, meta[1] != "160000", meta[1] != "000000" else { continue }
                blobs.append((String(meta[3]), path))
            }
            return blobs
        }
        let output = try await git.run(["ls-files", "-z", "--stage"], in: topLevel)
        guard output.succeeded else { throw SecretctlError(.system, "git ls-files failed: \(output.firstErrorLine)") }
        // "<mode> <oid> <stage>\t<path>"
        return Self.splitNUL(output.stdout).compactMap { record in
            guard let tab = record.firstIndex(of: "\t") else { return nil }
            let meta = record[..<tab].split(separator: " ")
            guard meta.count == 3, meta[0] != "160000" else { return nil }
            return (String(meta[1]), String(record[record.index(after: tab)...]))
        }
    }

    /// The commit that first added `blob` (oldest first over all refs), and its path there.
    package func introducingCommit(of blob: String) async throws(SecretctlError) -> (commit: String, path: String)? {
        let output = try await git.run(
            ["-c", "core.quotePath=false", "log", "--all", "--reverse", "--format=commit %H", "--raw", "--no-abbrev",
             "--no-renames", "-m", "--find-object=\(blob)"],
            in: topLevel)
        guard output.succeeded else { return nil }
        var commit: String?
        for line in output.text.split(separator: "\n") {
            if line.hasPrefix("commit ") {
                commit = String(line.dropFirst(7))
            } else if line.hasPrefix(":"), let tab = line.firstIndex(of: "\t"), let commit {
                let meta = line[..<tab].split(separator: " ")
                if meta.count >= 5, meta[3] == blob { return (commit, String(line[line.index(after: tab)...])) }
            }
        }
        return nil
    }

    static func splitNUL(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
    }
}
