import Foundation

/// Runs the Python tools beside the format tests (`independent_decrypt.py`,
/// `FormatVectors/generate.py`) with `python3` from `PATH`.
///
/// These tests never skip when Python is missing: CI installs `python3` and the
/// `cryptography` package, and a missing tool is reported as a failure that says so.
enum FormatPython {
    struct Result {
        let status: Int32
        let stdout: Data
        let stderr: String
    }

    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let independentDecrypt = testsDirectory.appendingPathComponent("independent_decrypt.py")
    static let generator = testsDirectory.appendingPathComponent("FormatVectors/generate.py")

    static let missingMessage =
        "python3 with the 'cryptography' package is required by the format tests (CI installs both; locally: apt-get install python3 && pip install cryptography)"

    /// Runs `python3 arguments...` with only `environment` (plus PATH and HOME) set; no shell.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        var variables = environment
        let inherited = ProcessInfo.processInfo.environment
        variables["PATH"] = inherited["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if let home = inherited["HOME"] { variables["HOME"] = home }
        // No __pycache__ beside the scripts, in the package's source tree.
        variables["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = variables
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // stdout may be large, so it is drained before waiting; stderr stays far below a pipe's
        // buffer (one line, or a short traceback), so reading it afterwards cannot block the child.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: stdoutData, stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// Nil when `python3` runs and imports `cryptography`; otherwise why not.
    static func unavailableReason() -> String? {
        do {
            let result = try run(["-c", "import cryptography.hazmat.primitives.ciphers.aead, cryptography.hazmat.primitives.kdf.scrypt"])
            if result.status == 0 { return nil }
            return "\(missingMessage); python3 said: \(result.stderr.suffix(300))"
        } catch {
            return "\(missingMessage); cannot start python3: \(error)"
        }
    }
}
