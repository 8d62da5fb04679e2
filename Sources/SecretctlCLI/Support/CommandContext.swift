#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
package import SecretctlCore
package import SecretctlCrypto

/// Where a command's bytes go: a file descriptor, or memory in tests.
package protocol OutputSink: Sendable {
    func write(_ bytes: UnsafeRawBufferPointer)
    var isTerminal: Bool { get }
}

extension OutputSink {
    package func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }
    package func write(_ secret: SecretValue) { secret.withUnsafeBytes { write($0) } }
    package func write(_ secret: SecureBytes) { secret.withUnsafeBytes { write($0) } }
}

/// Writes to a file descriptor, retrying short writes; a closed pipe ends quietly.
package struct FileDescriptorSink: OutputSink {
    package let fd: Int32
    package init(fd: Int32) { self.fd = fd }
    package func write(_ bytes: UnsafeRawBufferPointer) { _ = FileSystem.writeAll(fd, bytes) }
    package var isTerminal: Bool { isatty(fd) == 1 }
}

/// Collects output in memory (for in-process tests).
package final class MemorySink: OutputSink, @unchecked Sendable {
    private let lock = NSLockLite()
    private var storage: [UInt8] = []
    package let isTerminal: Bool

    package init(isTerminal: Bool = false) { self.isTerminal = isTerminal }

    package func write(_ bytes: UnsafeRawBufferPointer) { lock.withLock { storage.append(contentsOf: bytes) } }
    package var bytes: [UInt8] { lock.withLock { storage } }
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A pthread mutex, to keep Foundation out of the CLI.
package final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    package init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    package func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}

/// Where a command reads piped input from.
package enum InputSource: Sendable {
    case fileDescriptor(Int32)
    case bytes([UInt8], isTerminal: Bool)

    package var isTerminal: Bool {
        switch self {
        case let .fileDescriptor(fd): isatty(fd) == 1
        case let .bytes(_, isTerminal): isTerminal
        }
    }

    /// Everything up to end of input, refusing more than `limit` bytes.
    package func readAll(limit: Int) throws(SecretctlError) -> SecureBytes {
        switch self {
        case let .fileDescriptor(fd):
            return try FileSystem.readSecret(fd: fd, limit: limit, what: "standard input")
        case let .bytes(bytes, _):
            guard bytes.count <= limit else { throw SecretctlError(.usage, "standard input is larger than \(limit) bytes") }
            return SecureBytes(copying: bytes)
        }
    }
}

/// Everything a command touches outside itself, injected so tests run commands in-process.
package struct CommandContext: Sendable {
    package var environment: ProcessEnvironment
    package var stdin: InputSource
    package var stdout: any OutputSink
    package var stderr: any OutputSink
    package var prompter: any SecretPrompter
    package var clock: @Sendable () -> Int64

    package init(
        environment: ProcessEnvironment,
        stdin: InputSource,
        stdout: any OutputSink,
        stderr: any OutputSink,
        prompter: any SecretPrompter,
        clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }
    ) {
        self.environment = environment
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.prompter = prompter
        self.clock = clock
    }

    /// The real process: fds 0, 1, 2 and `/dev/tty` for prompts.
    package static func live() -> CommandContext {
        CommandContext(
            environment: .current(),
            stdin: .fileDescriptor(0),
            stdout: FileDescriptorSink(fd: 1),
            stderr: FileDescriptorSink(fd: 2),
            prompter: TerminalPrompter())
    }

    // MARK: - Messages (always stderr)

    package func warn(_ message: String) { stderr.write("secretctl: warning: \(message)\n") }
    package func note(_ message: String) { stderr.write("secretctl: \(message)\n") }
    package func hint(_ message: String) { stderr.write("secretctl: hint: \(message)\n") }
}
