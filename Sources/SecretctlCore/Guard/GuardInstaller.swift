#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Installs and removes the guard's pre-commit hook in a repository's hooks folder
/// (`git rev-parse --git-path hooks`, which follows `core.hooksPath` and worktrees).
/// An existing hook is never overwritten: it is moved aside and run first by ours.
package struct GuardInstaller: Sendable {
    package enum Status: Equatable, Sendable {
        case notInstalled
        /// Ours, with its settings; `chained` when a previous hook runs first.
        case installed(GuardHook, chained: Bool)
        /// Some other pre-commit hook, not ours.
        case otherHook
    }

    package enum InstallOutcome: Equatable, Sendable {
        case installed(chained: Bool)
        /// It was there already; the settings were refreshed.
        case updated(chained: Bool)
    }

    package enum UninstallOutcome: Equatable, Sendable {
        case removed(restoredPrevious: Bool)
        case notInstalled
    }

    /// The hooks folder (absolute).
    package let hooksDirectory: String

    package init(hooksDirectory: String) {
        self.hooksDirectory = hooksDirectory
    }

    /// The hooks folder of the repository holding `directory`.
    package static func forRepository(at directory: String, git: GitRunner) async throws(SecretctlError) -> (GuardInstaller, GitRepository) {
        guard let repository = try await GitRepository.find(from: directory, git: git) else {
            throw SecretctlError(.usage, "\(directory) is not inside a git work tree", hint: "run 'secretctl guard' inside the repository to protect")
        }
        let output = try await git.run(["rev-parse", "--git-path", "hooks"], in: repository.topLevel)
        guard output.succeeded, let line = output.text.split(separator: "\n").first else {
            throw SecretctlError(.system, "git rev-parse --git-path hooks failed: \(output.firstErrorLine)")
        }
        return (GuardInstaller(hooksDirectory: Path.absolute(String(line), from: repository.topLevel)), repository)
    }

    package var hookPath: String { Path.join(hooksDirectory, "pre-commit") }
    package var chainedPath: String { Path.join(hooksDirectory, GuardHook.chainedName) }

    package func status() -> Status {
        guard let text = Self.readText(hookPath) else { return .notInstalled }
        guard let hook = GuardHook.parse(text) else { return .otherHook }
        return .installed(hook, chained: Self.exists(chainedPath))
    }

    /// Writes our hook; moves a foreign hook aside first so ours runs it.
    package func install(_ hook: GuardHook) throws(SecretctlError) -> InstallOutcome {
        try FileSystem.makeDirectories(hooksDirectory, mode: 0o755)
        let current = Self.exists(hookPath) || Self.isLink(hookPath)
        let ours = Self.readText(hookPath).map(GuardHook.isOurs) ?? false
        if current && !ours {
            guard !Self.exists(chainedPath), !Self.isLink(chainedPath) else {
                throw SecretctlError(.failure,
                    "both \(hookPath) and \(chainedPath) exist and neither is the guard; refusing to move either",
                    hint: "merge them into one pre-commit hook by hand, then run 'secretctl guard install' again")
            }
            guard rename(hookPath, chainedPath) == 0 else {
                throw SecretctlError(.cannotWrite, "cannot move the existing hook \(hookPath) aside: \(FileSystem.errorText())")
            }
        }
        try Self.writeExecutable(hook.script, to: hookPath)
        let chained = Self.exists(chainedPath) || Self.isLink(chainedPath)
        return ours ? .updated(chained: chained) : .installed(chained: chained)
    }

    /// Removes our hook and puts back the one it chained, if any. A foreign hook is left alone.
    package func uninstall() throws(SecretctlError) -> UninstallOutcome {
        let ours = Self.readText(hookPath).map(GuardHook.isOurs) ?? false
        let hasChained = Self.exists(chainedPath) || Self.isLink(chainedPath)
        if !ours {
            let hasHook = Self.exists(hookPath) || Self.isLink(hookPath)
            // Our hook was deleted by hand but the one it chained is still aside: put it back.
            if !hasHook, hasChained {
                try Self.move(chainedPath, to: hookPath)
                return .removed(restoredPrevious: true)
            }
            return .notInstalled
        }
        if hasChained {
            try Self.move(chainedPath, to: hookPath)
        } else if unlink(hookPath) != 0 {
            throw SecretctlError(.cannotWrite, "cannot remove \(hookPath): \(FileSystem.errorText())")
        }
        return .removed(restoredPrevious: hasChained)
    }

    // MARK: - Files

    static func exists(_ path: String) -> Bool { FileSystem.exists(path) }

    static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    static func readText(_ path: String) -> String? {
        guard exists(path), let bytes = try? FileSystem.read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func move(_ source: String, to destination: String) throws(SecretctlError) {
        guard rename(source, destination) == 0 else {
            throw SecretctlError(.cannotWrite, "cannot move \(source) back to \(destination): \(FileSystem.errorText())")
        }
    }

    /// Temp file in the same folder, mode 0755, then rename over the hook.
    private static func writeExecutable(_ text: String, to path: String) throws(SecretctlError) {
        let temporary = Path.join(Path.parent(path), ".pre-commit.secretctl-\(getpid())")
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw SecretctlError(.cannotWrite, "cannot write \(path): \(FileSystem.errorText())") }
        var bytes = Array(text.utf8)
        var ok = bytes.withUnsafeBytes { FileSystem.writeAll(fd, $0) }
        ok = ok && fchmod(fd, 0o755) == 0 && fsync(fd) == 0
        let code = errno
        if close(fd) != 0 { ok = false }
        bytes.removeAll()
        guard ok, rename(temporary, path) == 0 else {
            let failure = ok ? errno : code
            unlink(temporary)
            throw SecretctlError(.cannotWrite, "cannot write \(path): \(FileSystem.errorText(failure))")
        }
        FileSystem.syncDirectory(Path.parent(path))
    }
}
