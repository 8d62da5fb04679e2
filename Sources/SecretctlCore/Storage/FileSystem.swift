#if canImport(Glibc)
package import Glibc
#elseif canImport(Darwin)
package import Darwin
#endif
package import SecretctlCrypto

/// Thin, checked wrappers over POSIX file calls. Every failure becomes a
/// `SecretctlError` that names the path and what to do; none carries file contents.
package enum FileSystem {
    package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The permission bits of `path`, or nil when it does not exist.
    package static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    package static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// Reads a whole (public) file.
    package static func read(_ path: String) throws(SecretctlError) -> [UInt8] {
        // Straight into the array when the size is known (a vault can be tens of MiB); a file
        // that grew meanwhile, or a pipe, continues in chunks. A read error is thrown by `reading`.
        try reading(path) { (size, next) -> [UInt8] in
            var ended = false
            var output = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                while initialized < size {
                    guard let count = next(UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[initialized...]))), count > 0 else {
                        ended = true
                        return
                    }
                    initialized += count
                }
            }
            guard !ended else { return output }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while let count = chunk.withUnsafeMutableBytes({ next($0) }), count > 0 {
                output.append(contentsOf: chunk[0..<count])
            }
            return output
        }.get()
    }

    /// Opens `path` (a public file) and hands `body` its size (from fstat; 0 when unknown) and
    /// a function that reads the next piece into a buffer: the count, 0 at the end, nil on a
    /// read error. A read error becomes this function's error, whatever `body` made of it.
    package static func reading<R, E: Error>(
        _ path: String, _ body: (_ size: Int, _ read: (UnsafeMutableRawBufferPointer) -> Int?) throws(E) -> R
    ) throws(SecretctlError) -> Result<R, E> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw SecretctlError(code == ENOENT ? .noInput : .failure, "cannot read \(path): \(errorText(code))")
        }
        defer { close(fd) }
        try requireNotFolder(fd, path)
        var info = stat()
        let size = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        var failure: Int32 = 0
        let result = Result { () throws(E) -> R in
            try body(size) { buffer in
                while true {
                    let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                    if count >= 0 { return count }
                    if errno == EINTR { continue }
                    failure = errno
                    return nil
                }
            }
        }
        if failure != 0 { throw SecretctlError(.failure, "cannot read \(path): \(errorText(failure))") }
        return result
    }

    /// Reads a whole file that holds a secret into a wiping buffer.
    package static func readSecret(_ path: String, limit: Int) throws(SecretctlError) -> SecureBytes {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw SecretctlError(code == ENOENT ? .noInput : .failure, "cannot read \(path): \(errorText(code))")
        }
        defer { close(fd) }
        try requireNotFolder(fd, path)
        return try readSecret(fd: fd, limit: limit, what: path)
    }

    /// A folder where a file was asked for is a missing input file (exit 66), not a read error.
    private static func requireNotFolder(_ fd: Int32, _ path: String) throws(SecretctlError) {
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw SecretctlError(.noInput, "\(path) is a folder, not a file")
        }
    }

    /// Reads a key or identity file (`what` names it in errors) into a wiping buffer. Refuses
    /// anything but a regular file, and one that group or others can read (as ssh does). The
    /// path comes from the environment or a default folder, so it may name a FIFO (a plain open
    /// would wait forever for a writer) or a device: it is opened with O_NONBLOCK and checked
    /// with fstat on the descriptor it is then read from, so nothing can be swapped in between.
    /// A symbolic link to a regular file is followed (mounted secrets are often links).
    package static func readKeyMaterial(_ path: String, limit: Int, what: String) throws(SecretctlError) -> SecureBytes {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw SecretctlError(code == ENOENT ? .noInput : .failure, "cannot read \(what) \(path): \(errorText(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SecretctlError(.failure, "cannot read \(what) \(path): \(errorText())") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SecretctlError(
                .noKey, "\(what) \(path) is not a regular file (\(kind(info.st_mode))); refusing to read it",
                hint: "point it at the file itself, with mode 600")
        }
        let mode = info.st_mode & 0o7777
        if mode & 0o077 != 0 {
            throw SecretctlError(
                .noKey, "\(what) \(path) is readable by other users (mode \(String(mode, radix: 8))); refusing to use it",
                hint: "chmod 600 \(path)")
        }
        return try readSecret(fd: fd, limit: limit, what: path)
    }

    /// A word for a file type, for errors.
    package static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO"
        case S_IFDIR: "a folder"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }

    /// Reads a descriptor to its end into a wiping buffer, refusing more than `limit` bytes.
    package static func readSecret(fd: Int32, limit: Int, what: String) throws(SecretctlError) -> SecureBytes {
        var parts: [SecureBytes] = []
        var total = 0
        // A regular file is read in pieces of its own size (plus the byte that shows its end),
        // so a 45-byte key file takes a small locked block, not a fresh 64 KiB mapping.
        var chunk = 1 << 16
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
            chunk = min(max(Int(info.st_size) + 1, 64), chunk)
        }
        while true {
            var readCount = 0
            var failure: Int32 = 0
            let part = SecureBytes(count: chunk) { buffer in
                while true {
                    let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                    if count < 0, errno == EINTR { continue }
                    if count < 0 { failure = errno }
                    readCount = max(count, 0)
                    break
                }
            }
            if failure != 0 { throw SecretctlError(.failure, "cannot read \(what): \(errorText(failure))") }
            if readCount == 0 { break }
            total += readCount
            guard total <= limit else {
                throw SecretctlError(.usage, "\(what) is larger than \(limit) bytes")
            }
            parts.append(readCount == part.count ? part : part.slice(0..<readCount))
        }
        return SecureBytes.joined(parts)
    }

    /// Creates `path` and its parents with `mode`.
    package static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws(SecretctlError) {
        if isDirectory(path) { return }
        let parent = Path.parent(path)
        if parent != path { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0, errno != EEXIST {
            throw SecretctlError(.cannotWrite, "cannot create folder \(path): \(errorText())")
        }
    }

    /// Creates a new file with `O_EXCL` and `mode`, writes `bytes`, and fsyncs it. Never overwrites.
    package static func createExclusive(_ path: String, mode: mode_t, contents: SecureBytes) throws(SecretctlError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST {
                throw SecretctlError(.failure, "\(path) already exists; secretctl never overwrites a key file",
                    hint: "move it away if you are sure it is not needed")
            }
            throw SecretctlError(.cannotWrite, "cannot create \(path): \(errorText(code))")
        }
        var ok = true
        contents.withUnsafeBytes { ok = writeAll(fd, $0) }
        ok = ok && fchmod(fd, mode) == 0 && fsync(fd) == 0
        let code = errno
        close(fd)
        guard ok else {
            unlink(path)
            throw SecretctlError(.cannotWrite, "cannot write \(path): \(errorText(code))")
        }
        syncDirectory(Path.parent(path))
    }

    /// Writes all of `bytes` to `fd`, retrying short writes.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += count
        }
        return true
    }

    /// Best effort: makes a rename or create in `directory` durable.
    package static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

extension FileSystem {
    /// Removes a file, ignoring a missing one.
    package static func remove(_ path: String) { unlink(path) }
}

extension FileSystem {
    /// Renames `source` over `destination` and makes it durable.
    package static func replace(_ source: String, with destination: String) throws(SecretctlError) {
        guard rename(source, destination) == 0 else {
            throw SecretctlError(.cannotWrite, "cannot move \(source) to \(destination): \(errorText())",
                hint: "move it by hand; secretctl also reads \(source) until then")
        }
        syncDirectory(Path.parent(destination))
    }
}
