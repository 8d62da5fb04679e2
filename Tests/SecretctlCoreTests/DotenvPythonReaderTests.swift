import Foundation
import Testing

/// Reads a dotenv file with python-dotenv (`dotenv_values`), the reader of the app's backend.
enum PythonDotenv {
    enum Failure: Error, CustomStringConvertible {
        case failed(Int32, String)
        case unreadable(String)
        var description: String {
            switch self {
            case let .failed(code, stderr): "python3 exited \(code): \(stderr)"
            case let .unreadable(output): "python3 printed something that is not a JSON object: \(output)"
            }
        }
    }

    private static let script = """
        import json, sys
        from dotenv import dotenv_values
        values = dotenv_values(sys.argv[1], interpolate=(sys.argv[2] == "1"))
        sys.stdout.write(json.dumps({k: v for k, v in values.items()}, ensure_ascii=True))
        """

    /// name -> value (nil for a name without `=`), as python-dotenv reads the file at `path`.
    static func values(ofFile path: String, interpolate: Bool) throws -> [String: String?] {
        // Output goes to files: reading a pipe with FileHandle can trap on EINTR on Linux.
        let capture = path + ".out"
        let errors = path + ".err"
        _ = FileManager.default.createFile(atPath: capture, contents: nil)
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: capture)
            try? FileManager.default.removeItem(atPath: errors)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path, interpolate ? "1" : "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONIOENCODING"] = "utf-8"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: capture))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        try process.run()
        process.waitUntilExit()
        let data = FileManager.default.contents(atPath: capture) ?? Data()
        guard process.terminationStatus == 0 else {
            let errorText = String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self)
            throw Failure.failed(process.terminationStatus, errorText)
        }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure.unreadable(String(decoding: data, as: UTF8.self))
        }
        return object.mapValues { $0 as? String }
    }

    /// Writes `bytes` to a temporary file, reads it with python-dotenv, removes the file.
    static func values(of bytes: [UInt8], interpolate: Bool) throws -> [String: String?] {
        let path = NSTemporaryDirectory() + "/secretctl-dotenv-\(UUID().uuidString).env"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try values(ofFile: path, interpolate: interpolate)
    }
}

/// The compatibility tests below need python-dotenv; this says so plainly when it is missing.
struct DotenvPythonReaderTests {
    @Test func pythonDotenvIsInstalledAndReadsAFile() throws {
        let values = try PythonDotenv.values(of: Array("A=1\nexport B='two words'\n".utf8), interpolate: false)
        #expect(values == ["A": "1", "B": "two words"], "install it with 'pip install python-dotenv'")
    }
}
