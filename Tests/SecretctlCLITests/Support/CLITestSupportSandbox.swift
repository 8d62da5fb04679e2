#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SecretctlCLI
import SecretctlCore
import Testing

/// A throwaway world for one test: a project folder with `secrets/`, its own
/// `XDG_CONFIG_HOME` (where key files go) and `HOME`, all removed at deinit.
///
/// Commands run in-process through `SecretctlMain.run(arguments:context:)` (`run`), or as
/// the built binary (`runBinary`, see `BuiltBinary`). Every in-process run also checks that
/// no value this sandbox stored (see `remember`) appears on stderr.
final class TestSandbox: @unchecked Sendable {
    /// The temporary folder holding everything below.
    let root: String
    /// The project: the working directory of commands unless changed.
    let project: String
    /// `XDG_CONFIG_HOME`.
    let config: String
    /// `HOME`.
    let home: String

    private let lock = NSLockLite()
    private var baseVariables: [String: String]
    private var remembered: [[UInt8]] = []

    /// - Parameter secretsFolder: create `project/secrets/` (the usual case).
    init(secretsFolder: Bool = true) throws {
        var template = Array("\(NSTemporaryDirectory())/secretctl-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        let created = try #require(made.map { String(cString: $0) }, "mkdtemp failed: \(String(cString: strerror(errno)))")
        root = try #require(realpath(created, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        }, "realpath failed")
        project = root + "/project"
        config = root + "/config"
        home = root + "/home"
        for folder in [project, config, home] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        if secretsFolder {
            try FileManager.default.createDirectory(atPath: project + "/secrets", withIntermediateDirectories: true)
        }
        baseVariables = ["XDG_CONFIG_HOME": config, "HOME": home, "SECRETCTL_LOCK_TIMEOUT": "20"]
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: - Paths

    var secrets: String { project + "/secrets" }
    var keysFolder: String { config + "/secretctl/keys" }
    func vaultPath(_ env: String = "dev") -> String { "\(secrets)/\(env).vault" }

    /// The key files in the default key folder.
    var keyFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: keysFolder)) ?? []
        return names.filter { $0.hasSuffix(".key") }.sorted().map { "\(keysFolder)/\($0)" }
    }

    /// The only key file, or a test failure.
    func keyFile(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let files = keyFiles
        return try #require(files.count == 1 ? files.first : nil, "expected one key file, found \(files)", sourceLocation: sourceLocation)
    }

    /// Every regular file under the sandbox, recursively.
    var allFiles: [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { files.append(path) }
        }
        return files.sorted()
    }

    // MARK: - Environment

    /// Variables every command sees (before per-run overrides).
    var variables: [String: String] {
        get { lock.withLock { baseVariables } }
        set { lock.withLock { baseVariables = newValue } }
    }

    subscript(variable name: String) -> String? {
        get { variables[name] }
        set { variables[name] = newValue }
    }

    /// Marks `value` as a stored secret: every later in-process run fails if it shows up on stderr.
    func remember(_ value: [UInt8]) { lock.withLock { remembered.append(value) } }

    var rememberedValues: [[UInt8]] { lock.withLock { remembered } }

    /// Expects that no remembered value (of 4 bytes or more) occurs in `text`.
    func expectNoValue(in text: [UInt8], _ what: String, sourceLocation: SourceLocation) {
        for value in rememberedValues where value.count >= 4 {
            #expect(!text.contains(subsequence: value), "a stored value appeared in \(what)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Running in-process

    /// Runs one command line in-process.
    /// - Parameters:
    ///   - stdin: bytes on standard input (a pipe unless `stdinIsTerminal`).
    ///   - answers: what a person "types" at no-echo prompts, in order; none means no terminal.
    ///   - environment: variables added to (or, with an empty string, blanking) the sandbox's.
    func run(
        _ arguments: [String], stdin: [UInt8] = [], stdinIsTerminal: Bool = false, stdoutIsTerminal: Bool = false,
        answers: [String] = [], environment: [String: String] = [:], workingDirectory: String? = nil,
        clock: (@Sendable () -> Int64)? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> CLIResult {
        let stdout = MemorySink(isTerminal: stdoutIsTerminal)
        let stderr = MemorySink(isTerminal: false)
        let prompter = ScriptedPrompter(answers: answers)
        var context = CommandContext(
            environment: ProcessEnvironment(
                variables: variables.merging(environment) { $1 }, workingDirectory: workingDirectory ?? project),
            stdin: .bytes(stdin, isTerminal: stdinIsTerminal),
            stdout: stdout, stderr: stderr, prompter: prompter)
        if let clock { context.clock = clock }
        let code = await SecretctlMain.run(arguments: arguments, context: context)
        expectNoValue(in: stderr.bytes, "stderr of \(arguments)", sourceLocation: sourceLocation)
        return CLIResult(code: code, stdout: stdout.bytes, stderr: stderr.text, prompts: prompter.prompts)
    }

    // MARK: - Shortcuts that must succeed

    /// `secretctl init` plus `extra`; fails the test unless it succeeds.
    @discardableResult
    func initVault(_ extra: [String] = [], environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        let result = await run(["init"] + extra, environment: environment, sourceLocation: sourceLocation)
        try #require(result.code == 0, "init failed (\(result.code)):\n\(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Pipes `value` to `secretctl set NAME --raw` (bytes exactly) and remembers it.
    @discardableResult
    func set(_ name: String, _ value: [UInt8], _ extra: [String] = [], environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        remember(value)
        let result = await run(["set", name, "--raw"] + (value.isEmpty ? ["--allow-empty"] : []) + extra,
            stdin: value, environment: environment, sourceLocation: sourceLocation)
        try #require(result.code == 0, "set \(name) failed (\(result.code)):\n\(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    @discardableResult
    func set(_ name: String, _ value: String, _ extra: [String] = [], environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        try await set(name, Array(value.utf8), extra, environment: environment, sourceLocation: sourceLocation)
    }

    /// `secretctl get NAME`'s stdout; fails the test unless it succeeds.
    func get(_ name: String, _ extra: [String] = [], environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [UInt8] {
        let result = await run(["get"] + extra + [name], environment: environment, sourceLocation: sourceLocation)
        try #require(result.code == 0, "get \(name) failed (\(result.code)):\n\(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    // MARK: - Files

    func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        if mode & 0o111 != 0 { return try writeExecutable(bytes, to: path, mode: mode) }
        let created = FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: Int(mode)])
        try #require(created, "cannot create \(path)")
        try #require(chmod(path, mode) == 0, "chmod \(path)")
    }

    func read(_ path: String) throws -> [UInt8] {
        let data = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
        return Array(data)
    }

    /// The permission bits of `path`, or nil when it does not exist.
    func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Creates a folder (and parents).
    func makeFolder(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}
