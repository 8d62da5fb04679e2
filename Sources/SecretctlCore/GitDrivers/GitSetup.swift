/// `secretctl git setup`: the `.gitattributes` line and the repository's git config
/// that make `git diff` and `git merge` go through secretctl for vault files.
package struct GitSetup: Sendable {
    /// Vaults go through both drivers; `-text` keeps git from converting line ends
    /// (a vault with CR LF is refused as damaged).
    package static let attributesLine = "secrets/*.vault diff=secretctl merge=secretctl -text"

    package let git: GitRunner

    package init(git: GitRunner) {
        self.git = git
    }

    /// What `apply` changed, for the user.
    package struct Report: Sendable {
        package var attributesPath: String
        package var attributesAdded: Bool
        package var configuration: [(String, String)]
    }

    /// The git config entries for `command` (how git should start secretctl).
    package static func configuration(command: String) -> [(String, String)] {
        let quoted = shellQuoted(command)
        return [
            ("diff.secretctl.textconv", "\(quoted) git textconv"),
            ("merge.secretctl.name", "secretctl: merge vaults entry by entry"),
            ("merge.secretctl.driver", "\(quoted) git merge %O %A %B %P"),
        ]
    }

    /// Writes the attributes line to `<projectRoot>/.gitattributes` (once) and sets the
    /// drivers in the config of the repository that holds `projectRoot`.
    package func apply(projectRoot: String, command: String) async throws(SecretctlError) -> Report {
        let inside = try await git.run(["rev-parse", "--is-inside-work-tree"], in: projectRoot)
        guard inside.succeeded, inside.text.hasPrefix("true") else {
            throw SecretctlError(.failure, "\(projectRoot) is not inside a git work tree", hint: "run 'git init' first")
        }
        let path = Path.join(projectRoot, ".gitattributes")
        var text = FileSystem.exists(path) ? String(decoding: try FileSystem.read(path), as: UTF8.self) : ""
        let present = text.split(separator: "\n", omittingEmptySubsequences: true).contains { $0.trimmingSpaces == Self.attributesLine }
        if !present {
            if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
            text += "# secretctl: show vault changes by entry name and merge vaults entry by entry (secretctl git setup)\n"
            text += Self.attributesLine + "\n"
            try AtomicFile.write(Array(text.utf8), to: path, mode: 0o644)
        }
        let configuration = Self.configuration(command: command)
        for (key, value) in configuration {
            let result = try await git.run(["config", "--local", key, value], in: projectRoot)
            guard result.succeeded else { throw SecretctlError(.system, "git config \(key) failed: \(result.firstErrorLine)") }
        }
        return Report(attributesPath: path, attributesAdded: !present, configuration: configuration)
    }

    /// `text` as one shell word (git runs drivers through the shell).
    package static func shellQuoted(_ text: String) -> String {
        let safe = text.utf8.allSatisfy { c in
            (0x61...0x7A).contains(c) || (0x41...0x5A).contains(c) || (0x30...0x39).contains(c) || "/._-+=:@".utf8.contains(c)
        }
        if safe, !text.isEmpty { return text }
        return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" || text.first == "\r" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" || text.last == "\r" { text = text.dropLast() }
        return text
    }
}
