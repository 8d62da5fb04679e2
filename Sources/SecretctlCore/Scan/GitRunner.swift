import Subprocess

/// Runs git (found on PATH) through swift-subprocess. Arguments are object names,
/// paths and options, never a value; object contents travel on pipes only.
package struct GitRunner: Sendable {
    package struct Output: Sendable {
        package var status: Int32
        package var stdout: [UInt8]
        package var stderr: String

        package var succeeded: Bool { status == 0 }
        package var text: String { String(decoding: stdout, as: UTF8.self) }
        /// The first line of stderr, for error messages (git's messages hold no file contents).
        package var firstErrorLine: String {
            stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(status)"
        }
    }

    package var environment: ProcessEnvironment

    package init(environment: ProcessEnvironment) {
        self.environment = environment
    }

    var subprocessEnvironment: Environment {
        var variables: [Environment.Key: String] = [:]
        // SECRETCTL_* can hold a key or a passphrase; git never needs them.
        for (name, value) in environment.variables where !name.hasPrefix("SECRETCTL_") {
            if let key = Environment.Key(rawValue: name) { variables[key] = value }
        }
        // Never let a scan take git's optional locks or ask for credentials.
        variables["GIT_OPTIONAL_LOCKS"] = "0"
        variables["GIT_TERMINAL_PROMPT"] = "0"
        return .custom(variables)
    }

    /// Runs `git -C directory arguments...` and collects its output.
    package func run(_ arguments: [String], in directory: String, outputLimit: Int = 1 << 30) async throws(SecretctlError) -> Output {
        do {
            let result = try await Subprocess.run(
                .name("git"), arguments: Arguments(["-C", directory] + arguments), environment: subprocessEnvironment,
                output: .bytes(limit: outputLimit), error: .string(limit: 64 << 10))
            return Output(status: Self.code(result.terminationStatus), stdout: result.standardOutput, stderr: result.standardError)
        } catch {
            throw Self.error(error)
        }
    }

    /// Runs `git -C directory arguments...`, feeding stdin from `feed` while `consume` reads
    /// stdout as it arrives. Returns the exit status and the start of stderr.
    func stream(
        _ arguments: [String], in directory: String,
        feed: @escaping @Sendable (StandardInputWriter) async throws -> Void,
        consume: (UnsafeRawBufferPointer) throws(SecretctlError) -> Void
    ) async throws(SecretctlError) -> (status: Int32, stderr: String) {
        do {
            let result = try await Subprocess.run(
                .name("git"), arguments: Arguments(["-C", directory] + arguments), environment: subprocessEnvironment,
                input: .inputWriter, output: .sequence, error: .string(limit: 64 << 10)
            ) { execution in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let writer = execution.standardInputWriter
                    group.addTask {
                        try await feed(writer)
                        try await writer.finish()
                    }
                    for try await buffer in execution.standardOutput {
                        try buffer.withUnsafeBytes { raw in try consume(raw) }
                    }
                    try await group.waitForAll()
                }
            }
            return (Self.code(result.terminationStatus), result.standardError)
        } catch let error as SecretctlError {
            throw error
        } catch {
            throw Self.error(error)
        }
    }

    static func code(_ status: TerminationStatus) -> Int32 {
        switch status {
        case let .exited(code): code
        case let .signaled(signal): 128 + signal
        }
    }

    static func error(_ error: any Error) -> SecretctlError {
        if let failure = error as? SubprocessError, failure.code == .executableNotFound {
            return SecretctlError(.system, "cannot run git: it was not found on PATH", hint: "install git, or run secretctl where git is on PATH")
        }
        return SecretctlError(.system, "cannot run git: \(error)")
    }
}
