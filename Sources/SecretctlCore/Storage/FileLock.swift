#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
package import Darwin
#endif

/// An exclusive `flock(2)` on a lock file beside the vault, held until `release`.
package final class FileLock {
    private var fd: Int32

    /// Waits up to `timeout` seconds for the lock, then throws an exit-75 error.
    package init(path: String, timeout: Double, vaultPath: String) throws(SecretctlError) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SecretctlError(.cannotWrite, "cannot open the lock file \(path): \(FileSystem.errorText())")
        }
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                throw SecretctlError(.failure, "cannot lock \(path): \(FileSystem.errorText(code))")
            }
            guard waited < timeout else {
                close(fd)
                throw SecretctlError(
                    .lockTimeout, "another secretctl process is writing \(vaultPath); gave up after \(Self.format(timeout)) s",
                    hint: "try again, or raise SECRETCTL_LOCK_TIMEOUT (seconds)")
            }
            usleep(10_000)
            waited += 0.01
        }
    }

    package func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
