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
        // The lock file sits in a committed folder that anyone who can push may fill: a symbolic
        // link there would make this open create a file wherever it points, with our rights; a
        // FIFO would block. O_NOFOLLOW refuses the link, O_NONBLOCK keeps a FIFO from hanging,
        // and fstat on the descriptor refuses whatever is not a regular file.
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP {
                throw SecretctlError(
                    .failure, "the lock file \(path) is a symbolic link; refusing to follow it (nothing was changed)",
                    hint: "remove it ('rm \(path)'); secretctl creates a plain empty file there")
            }
            throw SecretctlError(.cannotWrite, "cannot open the lock file \(path): \(FileSystem.errorText(code))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            let kind = FileSystem.kind(info.st_mode)
            close(fd)
            fd = -1
            throw SecretctlError(
                .failure, "the lock file \(path) is not a regular file (\(kind)); refusing to use it (nothing was changed)",
                hint: "remove it ('rm \(path)'); secretctl creates a plain empty file there")
        }
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                release()
                throw SecretctlError(.failure, "cannot lock \(path): \(FileSystem.errorText(code))")
            }
            guard waited < timeout else {
                release()
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
