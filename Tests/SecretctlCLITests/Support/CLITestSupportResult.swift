import SecretctlCore
import Testing

/// What one command line did: its exit code, the bytes on stdout, the text on stderr.
struct CLIResult: Sendable {
    var code: Int32
    var stdout: [UInt8]
    var stderr: String
    /// The prompts the command showed (in-process runs only).
    var prompts: [String] = []

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

    /// stderr split into lines, without the final empty one.
    var stderrLines: [String] {
        stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    /// The text after `secretctl: error: ` on the first error line, or nil.
    var errorMessage: String? {
        stderrLines.first { $0.hasPrefix("secretctl: error: ") }.map { String($0.dropFirst("secretctl: error: ".count)) }
    }

    /// The hint lines' text.
    var hints: [String] {
        stderrLines.filter { $0.hasPrefix("secretctl: hint: ") }.map { String($0.dropFirst("secretctl: hint: ".count)) }
    }

    var warnings: [String] {
        stderrLines.filter { $0.hasPrefix("secretctl: warning: ") }.map { String($0.dropFirst("secretctl: warning: ".count)) }
    }

    /// Asserts a success: code 0 and no error line.
    func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(code == 0, "expected exit 0, got \(code); stderr:\n\(stderr)", sourceLocation: sourceLocation)
        #expect(errorMessage == nil, "a successful command printed an error:\n\(stderr)", sourceLocation: sourceLocation)
    }

    /// Asserts the documented failure shape: the exit code, empty stdout, stderr whose first
    /// line is `secretctl: error: ...` containing `fragment`, and a hint containing `hint` when given.
    func expectFailure(
        _ expected: ExitCode, _ fragment: String, hint: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(code == expected.rawValue, "expected exit \(expected.rawValue), got \(code); stderr:\n\(stderr)", sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, "stdout must stay empty on failure, got \(stdout.count) bytes: \(stdoutText)", sourceLocation: sourceLocation)
        #expect(stderr.hasPrefix("secretctl: error: "), "stderr must start with 'secretctl: error: ':\n\(stderr)", sourceLocation: sourceLocation)
        #expect(errorMessage?.contains(fragment) == true, "the error should mention '\(fragment)':\n\(stderr)", sourceLocation: sourceLocation)
        if let hint {
            #expect(hints.contains { $0.contains(hint) }, "expected a hint mentioning '\(hint)':\n\(stderr)", sourceLocation: sourceLocation)
        }
    }
}
