import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// The real runner (swift-subprocess, own pipes, own threads), with stand-ins
/// for kubectl that are ordinary programs.
struct KubeRunnerTests {
    static func runner(_ executable: String, environment: [String: String] = [:]) -> ProcessKubectlRunner {
        ProcessKubectlRunner(executable: executable, environment: environment, workingDirectory: "/")
    }

    /// More than the pipe buffers hold in both directions at once: nothing blocks,
    /// every byte arrives.
    @Test func largeInputAndOutputPassThroughWhole() async throws {
        let cat = try #require(KubeTestTools.tool("cat"), "cat is not installed")
        let input = SecureBytes(count: 3 << 20) { buffer in
            for index in 0..<buffer.count { buffer[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 9) }
        }
        let result = try await Self.runner(cat).run([], input: input)
        #expect(result.status == 0)
        #expect(result.stdout.constantTimeEquals(input))
    }

    @Test func withoutInputTheChildReadsEndOfInput() async throws {
        let wc = try #require(KubeTestTools.tool("wc"), "wc is not installed")
        let result = try await Self.runner(wc).run(["-c"], input: nil)
        #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func exitStatusAndStderrComeBack() async throws {
        let sh = try #require(KubeTestTools.tool("sh"), "sh is not installed")
        let result = try await Self.runner(sh).run(["-c", "echo oops >&2; exit 3"], input: nil)
        #expect(result.status == 3)
        #expect(result.stderr == "oops\n")
        #expect(!result.succeeded)
    }

    /// A key or passphrase in secretctl's environment is not handed to kubectl.
    @Test func secretctlVariablesStayOutOfTheChildsEnvironment() async throws {
        let sh = try #require(KubeTestTools.tool("sh"), "sh is not installed")
        let environment = ProcessEnvironment(
            variables: ["KUBECTL": sh, "SECRETCTL_KEY": "a2V5LWtleS1rZXk=", "SECRETCTL_PASSPHRASE": "hunter22", "KUBECONFIG": "/k"],
            workingDirectory: "/")
        let runner = try ProcessKubectlRunner(environment: environment)
        let result = try await runner.run(["-c", "env"], input: nil)
        #expect(result.stdoutText.contains("KUBECONFIG=/k"))
        #expect(!result.stdoutText.contains("SECRETCTL_"))
    }

    @Test func kubectlIsFoundOnPathOrNamedByKUBECTL() throws {
        let folder = try KubeTestTools.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        FileManager.default.createFile(atPath: folder + "/kubectl", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        try FileManager.default.createDirectory(atPath: folder + "/dir/kubectl", withIntermediateDirectories: true)
        let found = try ProcessKubectlRunner(environment: ProcessEnvironment(variables: ["PATH": "\(folder)/dir:\(folder)"], workingDirectory: "/"))
        #expect(found.executable == folder + "/kubectl", "a folder named kubectl is skipped")
        let relative = try ProcessKubectlRunner(environment: ProcessEnvironment(variables: ["KUBECTL": "dir/../kubectl"], workingDirectory: folder))
        #expect(relative.executable.hasPrefix(folder + "/"), "a relative KUBECTL is taken from the working directory")
        #expect(access(relative.executable, X_OK) == 0)
        let error = try #require(throws: SecretctlError.self) {
            try ProcessKubectlRunner(environment: ProcessEnvironment(variables: ["PATH": folder + "/dir"], workingDirectory: "/"))
        }
        #expect(error.code == .system)
    }
}
