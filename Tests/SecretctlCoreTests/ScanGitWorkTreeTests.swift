import Foundation
import SecretctlCore
import Testing

/// `GitWorkTree.isPathIgnoredOrOutside`, which `render -o` and `export -o` ask before writing.
struct ScanGitWorkTreeTests {
    final class Repository {
        let root: String
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("scan-worktree-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root + "/repo/sub", withIntermediateDirectories: true)
            try git(["init", "-q"])
            try "out/\n*.secret.yaml\n".write(toFile: root + "/repo/.gitignore", atomically: true, encoding: .utf8)
            try "tracked\n".write(toFile: root + "/repo/sub/tracked.secret.yaml", atomically: true, encoding: .utf8)
            try git(["add", "-f", "sub/tracked.secret.yaml", ".gitignore"])
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }

        func git(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", root + "/repo"] + arguments
            process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": root,
                                   "GIT_CONFIG_NOSYSTEM": "1"]
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "git \(arguments) failed")
        }

        var environment: ProcessEnvironment {
            ProcessEnvironment(variables: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": root],
                workingDirectory: root + "/repo")
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var path: String
        var allowed: Bool
        var why: String
        var testDescription: String { "\(path): \(why)" }
    }

    static let cases: [Case] = [
        Case(path: "secret.yaml", allowed: false, why: "inside the work tree, not ignored"),
        Case(path: "sub/new/deeper/secret.yaml", allowed: false, why: "a folder that does not exist yet, not ignored"),
        Case(path: "out/secret.yaml", allowed: true, why: "an ignored folder"),
        Case(path: "out/not/yet/there.yaml", allowed: true, why: "inside an ignored folder that does not exist"),
        Case(path: "sub/prod.secret.yaml", allowed: true, why: "an ignored pattern"),
        Case(path: "sub/tracked.secret.yaml", allowed: false, why: "tracked, even though a pattern matches"),
        Case(path: "../elsewhere/secret.yaml", allowed: true, why: "outside any work tree"),
    ]

    @Test("where a plaintext file may be written", arguments: cases)
    func ignoredOrOutside(_ testCase: Case) async throws {
        let repository = try Repository()
        let answer = await GitWorkTree.isPathIgnoredOrOutside(testCase.path, environment: repository.environment)
        #expect(answer == testCase.allowed)
    }

    @Test("absolute paths work the same")
    func absolute() async throws {
        let repository = try Repository()
        #expect(await GitWorkTree.isPathIgnoredOrOutside(repository.root + "/repo/out/x.yaml", environment: repository.environment))
        #expect(await !GitWorkTree.isPathIgnoredOrOutside(repository.root + "/repo/x.yaml", environment: repository.environment))
    }
}
