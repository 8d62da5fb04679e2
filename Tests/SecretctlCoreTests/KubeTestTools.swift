import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// Shared pieces of the Kube* tests: the repository's paths, vault contents in
/// memory, and the external tools (kubectl, kubernetes-validate, PyYAML) that
/// check secretctl's output independently. Temp files here hold test values
/// only: the product never writes a value to a file.
enum KubeTestTools {
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var k8s: String { repository + "/k8s" }

    static func value(_ bytes: [UInt8]) -> SecretValue { SecretValue(SecureBytes(copying: bytes)) }
    static func value(_ text: String) -> SecretValue { value(Array(text.utf8)) }

    static func contents(_ values: [String: [UInt8]]) -> VaultContents {
        VaultContents(entries: values.map { name, bytes in
            Entry(name: name, recipe: nil, versions: [EntryVersion(number: 1, created: 0, value: value(bytes))])
        })
    }

    static func string(_ bytes: SecureBytes) -> String {
        bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: - Temp folders and processes

    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "secretctl-kube-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Finds a tool on PATH.
    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static func run(_ executable: String, _ arguments: [String], stdin: Data = Data()) throws -> Output {
        // Output goes to files, so neither pipe can fill up and block the child.
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["stdin", "stdout", "stderr"] {
            FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: name == "stdin" ? stdin : Data())
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: folder + "/stdin"))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/stdout"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/stderr"))
        try process.run()
        process.waitUntilExit()
        let stdout = try Data(contentsOf: URL(fileURLWithPath: folder + "/stdout"))
        let stderr = try Data(contentsOf: URL(fileURLWithPath: folder + "/stderr"))
        return Output(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// `kubernetes-validate --strict -k 1.32` on `text`; nil when it passes, else its output.
    static func validationProblem(_ text: [UInt8], suffix: String = ".yaml") throws -> String? {
        let validator = try #require(tool("kubernetes-validate"), "kubernetes-validate is not installed (pip install kubernetes-validate)")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/rendered" + suffix
        try Data(text).write(to: URL(fileURLWithPath: file))
        let result = try run(validator, ["--strict", "-k", "1.32", file])
        return result.status == 0 ? nil : String(decoding: result.stdout, as: UTF8.self) + result.stderr
    }

    /// Parses YAML (all documents) with PyYAML's safe loader, as JSON.
    static func parseYAML(_ text: [UInt8]) throws -> [Any] {
        let python = try #require(tool("python3"), "python3 is not installed")
        let script = "import sys, json, yaml; json.dump(list(yaml.safe_load_all(sys.stdin.buffer.read())), sys.stdout)"
        let result = try run(python, ["-c", script], stdin: Data(text))
        try #require(result.status == 0, "PyYAML could not parse the output: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [Any], "PyYAML gave no list")
    }
}
