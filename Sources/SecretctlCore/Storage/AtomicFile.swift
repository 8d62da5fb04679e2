#if canImport(Glibc)
package import Glibc
#elseif canImport(Darwin)
package import Darwin
#endif

/// Replaces a file atomically: temp file in the same folder (`O_EXCL`, 0600),
/// write, `fsync`, `rename` over the target, `fsync` of the folder.
package enum AtomicFile {
    package static let temporaryMarker = ".tmp-"

    package static func temporaryPath(for path: String) -> String {
        let name = Path.lastComponent(path)
        let suffix = (try? VaultCrypto.newKeyID()) ?? String(getpid())
        return Path.join(Path.parent(path), ".\(name)\(temporaryMarker)\(suffix)")
    }

    package static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(SecretctlError) {
        try write(to: path, mode: mode) { write in bytes.withUnsafeBytes(write) }
    }

    /// Like `write(_:to:mode:)`, with the contents handed over in pieces by `contents`, which
    /// calls `write` for each and returns false when a `write` did (the file is then not replaced).
    package static func write(
        to path: String, mode: mode_t = 0o600, contents: (_ write: (UnsafeRawBufferPointer) -> Bool) -> Bool
    ) throws(SecretctlError) {
        // Past RLIMIT_FSIZE (`ulimit -f`, some CI containers) the kernel sends SIGXFSZ, whose
        // default action kills the process in the middle of the write, with no message. Ignored,
        // the write fails with EFBIG and the user gets exit 73 and "File too large". The previous
        // disposition comes back afterwards, so exec's child never inherits an ignored SIGXFSZ.
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        defer { signal(SIGXFSZ, previousHandler) }
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw SecretctlError(.cannotWrite, "cannot write \(path): \(FileSystem.errorText()); the vault was not changed")
        }
        var code: Int32 = 0
        var ok = contents { piece in
            guard FileSystem.writeAll(fd, piece) else {
                code = errno
                return false
            }
            return true
        }
        if ok {
            ok = fchmod(fd, mode) == 0 && fsync(fd) == 0
            code = errno
        }
        if close(fd) != 0, ok {
            code = errno
            ok = false
        }
        guard ok else {
            unlink(temporary)
            throw SecretctlError(.cannotWrite, "cannot write \(path): \(FileSystem.errorText(code)); the vault was not changed")
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SecretctlError(.cannotWrite, "cannot replace \(path): \(FileSystem.errorText(code)); the vault was not changed")
        }
        FileSystem.syncDirectory(Path.parent(path))
    }

    /// Removes temp files left by a writer that crashed. Call only under the vault's lock.
    package static func removeStale(for path: String) {
        let folder = Path.parent(path)
        let prefix = ".\(Path.lastComponent(path))\(temporaryMarker)"
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(prefix) { unlink(Path.join(folder, name)) }
        }
    }
}
