#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SecretctlCLI
import Testing

/// The built `secretctl` executable, for the few tests that need a real process
/// (a lock held by another process, file modes, stdin pipes, concurrent writers).
///
/// Found at `$SECRETCTL_TEST_BINARY`, else next to the test bundle (`<scratch>/debug/secretctl`:
/// `swift test` and `swift build --build-tests` build it there).
enum BuiltBinary {
    static let path: String? = {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["SECRETCTL_TEST_BINARY"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((executable as NSString).deletingLastPathComponent + "/secretctl")
        }
        for bundle in Bundle.allBundles {
            candidates.append((bundle.bundlePath as NSString).deletingLastPathComponent + "/secretctl")
        }
        if let first = CommandLine.arguments.first {
            candidates.append((first as NSString).deletingLastPathComponent + "/secretctl")
        }
        return candidates.first { access($0, X_OK) == 0 }
    }()

    /// The path, or a test failure explaining how to get one.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(path, "the secretctl binary was not found next to the test bundle; run 'swift build --build-tests' or set SECRETCTL_TEST_BINARY", sourceLocation: sourceLocation)
    }
}

/// A started `secretctl` (or other) process whose stdout and stderr go to files outside the sandbox.
final class RunningProcess: @unchecked Sendable {
    let process: Process
    private let captureFolder: String

    private let stdinLock = NSLockLite()
    private var openStdin: FileHandle?

    /// Starts `executable` with exactly `environment`; `stdin` is written to a pipe and closed
    /// (nil: /dev/null), or, with `holdStdinOpen`, left open until `stop()`.
    init(executable: String, arguments: [String], environment: [String: String], workingDirectory: String, stdin: [UInt8]?,
         holdStdinOpen: Bool = false) throws {
        _ = RunningProcess.ignoreSIGPIPE
        var template = Array("\(NSTemporaryDirectory())/secretctl-capture-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        captureFolder = try #require(made.map { String(cString: $0) }, "mkdtemp failed")
        _ = FileManager.default.createFile(atPath: captureFolder + "/stdout", contents: nil)
        _ = FileManager.default.createFile(atPath: captureFolder + "/stderr", contents: nil)

        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: captureFolder + "/stdout"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: captureFolder + "/stderr"))
        let pipe = stdin != nil || holdStdinOpen ? Pipe() : nil
        process.standardInput = pipe ?? FileHandle.nullDevice
        try process.run()
        if let pipe {
            // The child may exit before reading (a usage error): EPIPE is expected then.
            if let stdin { try? pipe.fileHandleForWriting.write(contentsOf: Data(stdin)) }
            if holdStdinOpen {
                openStdin = pipe.fileHandleForWriting
            } else {
                try? pipe.fileHandleForWriting.close()
            }
        }
    }

    private static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Waits for the exit and collects the output (the capture files are then removed).
    func finish() -> CLIResult {
        process.waitUntilExit()
        let stdout = FileManager.default.contents(atPath: captureFolder + "/stdout").map(Array.init) ?? []
        let stderr = FileManager.default.contents(atPath: captureFolder + "/stderr").map { String(decoding: $0, as: UTF8.self) } ?? ""
        try? FileManager.default.removeItem(atPath: captureFolder)
        return CLIResult(code: process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus,
            stdout: stdout, stderr: stderr)
    }

    /// Like `finish`, but gives up after `seconds`: the process is killed and nil returned, so a
    /// command that would hang (reading a FIFO, say) fails its test instead of stalling the run.
    func finish(within seconds: Double) -> CLIResult? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: captureFolder)
            return nil
        }
        return finish()
    }

    /// Closes the stdin left open by `holdStdinOpen` (again is harmless).
    func closeStdin() {
        stdinLock.withLock {
            try? openStdin?.close()
            openStdin = nil
        }
    }

    /// Ends a process started with `holdStdinOpen` by closing its stdin (no signal needed:
    /// `cat` ends at end of input), then reaps it.
    func stop() {
        closeStdin()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: captureFolder)
    }
}

extension TestSandbox {
    /// The variables a child process gets: the sandbox's, `PATH`, and `overrides`.
    func processEnvironment(_ overrides: [String: String] = [:]) -> [String: String] {
        var environment = variables
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return environment.merging(overrides) { $1 }
    }

    /// Starts the built binary in the sandbox (working directory: the project).
    func startBinary(_ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:], workingDirectory: String? = nil) throws -> RunningProcess {
        try RunningProcess(executable: try BuiltBinary.require(), arguments: arguments, environment: processEnvironment(environment),
            workingDirectory: workingDirectory ?? project, stdin: stdin)
    }

    /// Runs the built binary to its end; checks that no remembered value reached stderr.
    func runBinary(_ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:], workingDirectory: String? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        let result = try startBinary(arguments, stdin: stdin, environment: environment, workingDirectory: workingDirectory).finish()
        expectNoValue(in: Array(result.stderr.utf8), "stderr of the binary running \(arguments)", sourceLocation: sourceLocation)
        return result
    }

    /// Starts a system tool (for example `flock`) in the sandbox; see `RunningProcess.init`.
    func startTool(_ tool: String, _ arguments: [String], holdStdinOpen: Bool = false) throws -> RunningProcess {
        let candidates: [String] = ["/usr/bin/\(tool)", "/bin/\(tool)", "/usr/local/bin/\(tool)"]
        let path = try #require(candidates.first { access($0, X_OK) == 0 },
            "\(tool) is not installed")
        return try RunningProcess(executable: path, arguments: arguments, environment: processEnvironment(), workingDirectory: project, stdin: nil,
            holdStdinOpen: holdStdinOpen)
    }
}
