#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SecretctlCLI
import SecretctlCore
import SecretctlCrypto
import Testing

/// Shared machinery for the hardening suites: a throwaway project folder with its own
/// `XDG_CONFIG_HOME`, the built `secretctl` binary spawned as a real process (stdin,
/// stdout and stderr are files in the world's `io/` folder, so large values never
/// deadlock a pipe), and in-process runs through `SecretctlMain.run`.
///
/// (The file carries the `Tests` suffix only so it falls under the hardening suites' file pattern.)
final class HardeningWorld: @unchecked Sendable {
    let root: String
    var project: String { root + "/project" }
    var secrets: String { project + "/secrets" }
    var config: String { root + "/config" }
    var io: String { root + "/io" }
    var vault: String { secrets + "/dev.vault" }
    private var counter = 0
    private let lock = NSLockLite()

    init() throws {
        var template = Array("/tmp/secretctl-hardening-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        let made2 = try #require(made, "mkdtemp failed: \(String(cString: strerror(errno)))")
        root = String(cString: made2)
        for folder in [project, secrets, config, io] { mkdir(folder, 0o755) }
        chmod(root, 0o755)
    }

    deinit { HardeningWorld.removeTree(root) }

    /// The environment every run gets: nothing from the test process except PATH.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var variables = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": root,
            "XDG_CONFIG_HOME": config,
            "LC_ALL": "C",
        ]
        for (name, value) in extra { variables[name] = value }
        return variables
    }

    // MARK: - In-process

    struct InProcess {
        var code: Int32
        var stdout: [UInt8]
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    func runInProcess(_ arguments: [String], stdin: [UInt8] = [], env: [String: String] = [:]) async -> InProcess {
        let out = MemorySink()
        let err = MemorySink()
        let context = CommandContext(
            environment: ProcessEnvironment(variables: environment(env), workingDirectory: project),
            stdin: .bytes(stdin, isTerminal: false),
            stdout: out, stderr: err, prompter: NoPrompter())
        let code = await SecretctlMain.run(arguments: arguments, context: context)
        return InProcess(code: code, stdout: out.bytes, stderr: err.text)
    }

    // MARK: - Real processes

    struct Finished {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
        var exitCode: Int32? { HardeningWorld.exited(status) ? HardeningWorld.exitStatus(status) : nil }
        var signal: Int32? { HardeningWorld.exited(status) ? nil : status & 0x7F }
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    struct Running {
        var pid: pid_t
        var stdoutPath: String
        var stderrPath: String
    }

    /// Starts `argv` (the first element is a path) with the given stdin bytes.
    func start(
        _ argv: [String], stdin: [UInt8] = [], env: [String: String] = [:], cwd: String? = nil,
        wrapper: [String] = []
    ) throws -> Running {
        let number = lock.withLock { () -> Int in
            counter += 1
            return counter
        }
        let stdinPath = "\(io)/stdin-\(number)"
        let stdoutPath = "\(io)/stdout-\(number)"
        let stderrPath = "\(io)/stderr-\(number)"
        try HardeningWorld.writeFile(stdinPath, stdin)
        // glibc has posix_spawn_file_actions_addchdir_np but Swift's Glibc module does not
        // export it; env(1) changes folder and execs, so the pid stays the command's.
        let full = ["/usr/bin/env", "-C", cwd ?? project] + wrapper + argv
        let variables = environment(env).map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var pid: pid_t = 0
        let result = HardeningWorld.withCStrings(full) { argvPointer in
            HardeningWorld.withCStrings(variables) { envPointer in
                posix_spawn(&pid, full[0], &actions, nil, argvPointer, envPointer)
            }
        }
        try #require(result == 0, "posix_spawn \(full[0]) failed: \(String(cString: strerror(result)))")
        return Running(pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    func wait(_ running: Running) throws -> Finished {
        var status: Int32 = 0
        while waitpid(running.pid, &status, 0) < 0 {
            try #require(errno == EINTR, "waitpid failed: \(String(cString: strerror(errno)))")
        }
        return collect(running, status: status)
    }

    /// The result if the process has ended, else nil (it keeps running).
    func poll(_ running: Running) -> Finished? {
        var status: Int32 = 0
        guard waitpid(running.pid, &status, WNOHANG) == running.pid else { return nil }
        return collect(running, status: status)
    }

    private func collect(_ running: Running, status: Int32) -> Finished {
        let out = (try? HardeningWorld.readFile(running.stdoutPath)) ?? []
        let err = (try? HardeningWorld.readFile(running.stderrPath)) ?? []
        unlink(running.stdoutPath)
        unlink(running.stderrPath)
        return Finished(status: status, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs the built secretctl to completion.
    func run(_ arguments: [String], stdin: [UInt8] = [], env: [String: String] = [:], wrapper: [String] = []) throws -> Finished {
        try wait(start([try HardeningWorld.binary()] + arguments, stdin: stdin, env: env, wrapper: wrapper))
    }

    /// `secretctl init` in this world; returns the key file's base64 text.
    @discardableResult
    func initVault(env: [String: String] = [:]) throws -> String {
        let done = try run(["init"], env: env)
        try #require(done.exitCode == 0, "init failed: \(done.stderr)")
        let keys = try HardeningWorld.list(config + "/secretctl/keys")
        let key = try #require(keys.first, "init made no key file")
        return String(decoding: try HardeningWorld.readFile(config + "/secretctl/keys/" + key), as: UTF8.self)
    }

    /// Opens the vault in-process and returns the current value of `name`.
    func value(_ name: String, vault path: String? = nil) throws -> [UInt8]? {
        let store = VaultStore(
            path: path ?? vault,
            environment: ProcessEnvironment(variables: environment(), workingDirectory: project),
            prompter: NoPrompter())
        let opened = try store.open(allowPrompt: false)
        return opened.contents[name].map { entry in entry.current.value.withUnsafeBytes { Array($0) } }
    }

    // MARK: - Files

    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0, "cannot open \(path): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            try #require(count >= 0, "cannot read \(path)")
            if count == 0 { break }
            output.append(contentsOf: chunk[0..<count])
        }
        return output
    }

    static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws {
        if mode & 0o111 != 0 { return try writeExecutable(bytes, to: path, mode: mode) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        try #require(fd >= 0, "cannot create \(path): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        let ok = bytes.withUnsafeBytes { FileSystem.writeAll(fd, $0) }
        try #require(ok, "cannot write \(path)")
    }

    static func list(_ folder: String) throws -> [String] {
        let directory = try #require(opendir(folder), "cannot list \(folder)")
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in (try? list(path)) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    // MARK: - Processes

    /// The built binary: `SECRETCTL_TEST_BINARY`, else `secretctl` beside the test bundle.
    static func binary() throws -> String {
        if let explicit = getenv("SECRETCTL_TEST_BINARY") { return String(cString: explicit) }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        try #require(count > 0, "cannot read /proc/self/exe")
        let exe = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let candidate = Path.parent(exe) + "/secretctl"
        try #require(access(candidate, X_OK) == 0, "no built secretctl at \(candidate); run swift build first or set SECRETCTL_TEST_BINARY")
        return candidate
    }

    static func exited(_ status: Int32) -> Bool { status & 0x7F == 0 }
    static func exitStatus(_ status: Int32) -> Int32 { (status >> 8) & 0xFF }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func sleep(seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }

    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// The path of a tool, or nil when it is not installed.
    static func tool(_ name: String) -> String? {
        for folder in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
            let path = "\(folder)/\(name)"
            if access(path, X_OK) == 0 { return path }
        }
        return nil
    }

    /// Distinct, recognisable bytes (printable, so they can be searched for in text).
    static func marker(_ label: String, length: Int) -> [UInt8] {
        let seed = Array("\(label)-".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(length)
        var index = 0
        while output.count < length {
            output.append(seed[index % seed.count])
            index += 1
        }
        return output
    }

    /// Temp files a writer leaves beside the vault while it runs.
    func strayTemporaryFiles() throws -> [String] {
        try HardeningWorld.list(secrets).filter { $0.contains(AtomicFile.temporaryMarker) }
    }
}
