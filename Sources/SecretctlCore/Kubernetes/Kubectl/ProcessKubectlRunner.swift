#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
package import SecretctlCrypto
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs the real kubectl (or whatever `KUBECTL` names) with swift-subprocess.
///
/// stdin and stdout go through pipes secretctl reads and writes itself, on
/// threads of their own, so the manifest is written straight from its wiping
/// buffer and `get secret` output is read straight into one; swift-subprocess
/// collects only stderr. The child gets secretctl's environment without the
/// `SECRETCTL_*` variables, which can hold a key or a passphrase.
package struct ProcessKubectlRunner: KubectlRunner {
    /// The most output secretctl reads from kubectl: a Secret is at most 1 MiB,
    /// and its JSON with a last-applied annotation about 3 MiB.
    package static let outputLimit = 16 << 20

    package let executable: String
    package let environment: [String: String]
    package let workingDirectory: String

    package init(executable: String, environment: [String: String], workingDirectory: String) {
        self.executable = executable
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// kubectl from `KUBECTL` (a path, or a name looked up on `PATH`), else `kubectl` on `PATH`.
    package init(environment: ProcessEnvironment) throws(SecretctlError) {
        let requested = environment["KUBECTL"] ?? "kubectl"
        let path: String
        if requested.contains("/") {
            path = environment.path(requested)
            guard access(path, X_OK) == 0 else {
                throw SecretctlError(.system, "KUBECTL names \(path), which is not an executable file")
            }
        } else {
            let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
            guard let found = directories.map({ Path.join(environment.path($0), requested) })
                .first(where: { access($0, X_OK) == 0 && !FileSystem.isDirectory($0) })
            else {
                throw SecretctlError(.system, "\(requested) was not found on PATH",
                    hint: "install kubectl, or set KUBECTL to its path")
            }
            path = found
        }
        self.init(
            executable: path,
            environment: environment.variables.filter { !$0.key.hasPrefix("SECRETCTL_") },
            workingDirectory: environment.workingDirectory)
    }

    package func run(_ arguments: [String], input: SecureBytes?) async throws(SecretctlError) -> KubectlResult {
        let display = "kubectl \(arguments.first ?? "")"
        func failure(_ what: String) -> SecretctlError {
            SecretctlError(.system, "cannot run \(executable): \(what)")
        }
        // Without input kubectl still gets a pipe, closed at once: it reads end
        // of input instead of waiting on secretctl's own stdin.
        guard let stdinPipe = Self.makePipe() else { throw failure(FileSystem.errorText()) }
        guard let stdoutPipe = Self.makePipe() else {
            close(stdinPipe.read)
            close(stdinPipe.write)
            throw failure(FileSystem.errorText())
        }
        // A kubectl that exits before reading its input must not kill secretctl.
        signal(SIGPIPE, SIG_IGN)

        var environmentKeys: [Environment.Key: String] = [:]
        for (key, value) in environment { environmentKeys[Environment.Key(stringLiteral: key)] = value }
        let configuration = Configuration(
            executable: .path(FilePath(executable)),
            arguments: Arguments(arguments),
            environment: .custom(environmentKeys),
            workingDirectory: FilePath(workingDirectory))

        let writeFD = stdinPipe.write
        let readFD = stdoutPipe.read
        let closure: (stdout: Result<SecureBytes, SecretctlError>, stdinFailed: Bool)
        let terminationStatus: TerminationStatus
        let standardError: String?
        do {
            let result = try await Subprocess.run(
                configuration,
                input: .fileDescriptor(FileDescriptor(rawValue: stdinPipe.read), closeAfterSpawningProcess: true),
                output: .fileDescriptor(FileDescriptor(rawValue: stdoutPipe.write), closeAfterSpawningProcess: true),
                error: .string(limit: 1 << 20)
            ) { _ in
                async let written: Bool = BlockingThread.run {
                    defer { close(writeFD) }
                    guard let input else { return true }
                    return input.withUnsafeBytes { FileSystem.writeAll(writeFD, $0) }
                }
                async let read: Result<SecureBytes, SecretctlError> = BlockingThread.run {
                    defer { close(readFD) }
                    do throws(SecretctlError) {
                        return .success(try FileSystem.readSecret(fd: readFD, limit: Self.outputLimit, what: "\(display) output"))
                    } catch {
                        return .failure(error)
                    }
                }
                return (await read, !(await written))
            }
            closure = result.closureResult
            terminationStatus = result.terminationStatus
            standardError = result.standardError
        } catch {
            // Spawning failed: our ends were never handed to a reader or writer.
            close(writeFD)
            close(readFD)
            throw failure("\(error)")
        }

        let status: Int32
        switch terminationStatus {
        case let .exited(code): status = Int32(code)
        case let .signaled(signal): status = 128 + Int32(signal)
        }
        let stdout: SecureBytes
        switch closure.stdout {
        case let .success(bytes): stdout = bytes
        case let .failure(error): throw error
        }
        // A failed write shows up as kubectl's own error and exit status; only a
        // kubectl that claims success without reading its input is suspicious.
        if closure.stdinFailed, status == 0 {
            throw SecretctlError(.system, "\(display) exited before reading the whole manifest")
        }
        return KubectlResult(status: status, stdout: stdout, stderr: standardError ?? "")
    }

    /// A pipe whose ends are closed on exec (the child gets its end through dup2).
    private static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }
}
