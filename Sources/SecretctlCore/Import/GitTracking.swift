import Subprocess

/// Asks git whether a file's contents are in a repository: tracked now, or committed once.
/// Any trouble (no git, not a repository) answers "no"; this only decides a warning.
package enum GitTracking {
    package enum Status: Equatable, Sendable {
        case untracked
        /// In the index (`git ls-files --error-unmatch`).
        case tracked
        /// Not tracked now, but in the history of some commit (`git log --all -- FILE`).
        case inHistory(commit: String)
    }

    /// Runs git in the file's folder (`git -C FOLDER ...`), so the file's own repository answers.
    package static func status(of path: String) async -> Status {
        let folder = Path.parent(path)
        let name = Path.lastComponent(path)
        do {
            let tracked = try await Subprocess.run(
                .name("git"), arguments: ["-C", folder, "ls-files", "--error-unmatch", "--", name],
                output: .discarded, error: .discarded)
            if tracked.terminationStatus.isSuccess { return .tracked }
            let log = try await Subprocess.run(
                .name("git"), arguments: ["-C", folder, "log", "--all", "--format=%h", "-1", "--", name],
                output: .string(limit: 4096), error: .discarded)
            let commit = log.standardOutput.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
            if log.terminationStatus.isSuccess, !commit.isEmpty { return .inHistory(commit: commit) }
        } catch {
            return .untracked
        }
        return .untracked
    }
}
