#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Testing

/// Helpers for tests where another process holds a vault's lock.
enum LockProbe {
    /// Whether some process holds an exclusive `flock` on `path` right now.
    static func isHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Waits (up to 10 s) until another process holds the lock on `path`.
    static func waitUntilHeld(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<1000 {
            if isHeld(path) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("nobody took the lock on \(path) within 10 s", sourceLocation: sourceLocation)
    }
}

extension TestSandbox {
    /// Starts `flock LOCKFILE cat` (util-linux) and waits until it holds the lock. The lock is
    /// held until `stop()` closes cat's stdin; `release` does that after `seconds` on its own.
    func holdLock(_ lockPath: String, releaseAfter seconds: Double? = nil) async throws -> RunningProcess {
        let holder = try startTool("flock", [lockPath, "cat"], holdStdinOpen: true)
        try await LockProbe.waitUntilHeld(lockPath)
        if let seconds {
            // Not a Task: in-process commands block the few cooperative threads while they wait
            // for this very lock, and a Task could starve behind them.
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { holder.closeStdin() }
        }
        return holder
    }
}
