#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a plaintext file may be written: outside every git work tree, or at a path git
/// ignores. `render -o FILE` and `export -o FILE` ask this before writing values to disk.
package enum GitWorkTree {
    /// True when `path` (relative paths against `environment.workingDirectory`) is outside
    /// every git work tree, or inside one and ignored by git (`git check-ignore`). A tracked
    /// file is never "ignored", even when a pattern matches it. The file need not exist.
    ///
    /// When git cannot be run, a folder with `.git` above the path counts as a work tree
    /// that is not ignored (false): unable to check, the answer errs toward refusing.
    package static func isPathIgnoredOrOutside(_ path: String, environment: ProcessEnvironment) async -> Bool {
        let absolute = environment.path(path)
        // The nearest folder that exists, resolved through links so git sees real paths.
        var folder = Path.parent(absolute)
        var rest = [Path.lastComponent(absolute)]
        while !FileSystem.isDirectory(folder), folder != "/", !folder.isEmpty {
            rest.insert(Path.lastComponent(folder), at: 0)
            folder = Path.parent(folder)
        }
        let real = realpath(folder, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? folder
        let git = GitRunner(environment: environment)
        do {
            let top = try await git.run(["rev-parse", "--show-toplevel"], in: real)
            guard top.succeeded, let topLevel = top.text.split(separator: "\n").first.map(String.init), !topLevel.isEmpty else {
                return true  // not in a work tree (or inside a .git folder)
            }
            let target = rest.reduce(real) { Path.join($0, $1) }
            let ignored = try await git.run(["check-ignore", "-q", "--", target], in: topLevel)
            return ignored.status == 0
        } catch {
            return !hasGitAncestor(real)
        }
    }

    private static func hasGitAncestor(_ start: String) -> Bool {
        var current = start
        while true {
            if FileSystem.exists(Path.join(current, ".git")) { return true }
            let parent = Path.parent(current)
            if parent == current || current.isEmpty { return false }
            current = parent
        }
    }
}
