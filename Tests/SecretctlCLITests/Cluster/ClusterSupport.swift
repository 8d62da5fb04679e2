#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

/// The Kubernetes cluster the real-cluster tests talk to, through the real kubectl.
///
/// `SECRETCTL_TEST_KUBECONFIG` names its kubeconfig: `Tests/Cluster/run` (and so the README's
/// test command) starts a local control plane and sets it; point it at your own cluster's
/// kubeconfig to run the suite there. `SECRETCTL_TEST_KUBELET_STANDIN=1` says pods are marked
/// Ready by the local kubelet stand-in; without it, tests that need Ready pods are skipped.
/// Each test works in a namespace of its own, made and deleted by `ClusterNamespace`.
enum TestCluster {
    private static let variables = ProcessInfo.processInfo.environment

    static let kubeconfig: String? = variables["SECRETCTL_TEST_KUBECONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    static let hasKubeletStandIn = variables["SECRETCTL_TEST_KUBELET_STANDIN"] == "1"
    static var isAvailable: Bool { kubeconfig != nil }
    /// The context to use from `kubeconfig` (its current one unless `SECRETCTL_TEST_CONTEXT` says otherwise).
    static let context: String? = variables["SECRETCTL_TEST_CONTEXT"].flatMap { $0.isEmpty ? nil : $0 }

    static let skipReason: Comment = "no cluster: set SECRETCTL_TEST_KUBECONFIG, or run Tests/Cluster/run"

    /// Tests/Cluster/, which holds the kubectl argv logger.
    static let scripts: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/Cluster"
    }()

    static let kubectlPath: String = {
        let path = variables["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/kubectl" }.first { access($0, X_OK) == 0 } ?? "/usr/bin/kubectl"
    }()
}

/// What a kubectl call the test made itself returned.
struct KubectlOutput: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the real kubectl against the test cluster, bounded by `timeout` seconds
/// (then killed: a test never hangs on a cluster).
@discardableResult
func kubectl(
    _ arguments: [String], stdin: [UInt8] = [], kubeconfig: String? = TestCluster.kubeconfig, timeout: TimeInterval = 60,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> KubectlOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestCluster.kubectlPath)
    process.arguments = (TestCluster.context.map { ["--context", $0] } ?? []) + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["KUBECONFIG"] = kubeconfig
    process.environment = environment
    let input = Pipe(), output = Pipe(), error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let timer = DispatchSource.makeTimerSource()
    timer.schedule(deadline: .now() + timeout)
    timer.setEventHandler { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    timer.resume()
    defer { timer.cancel() }
    input.fileHandleForWriting.write(Data(stdin))
    try input.fileHandleForWriting.close()
    // stderr is read on its own thread, so neither pipe can fill up and stall kubectl.
    let errorReader = ErrorReader(error.fileHandleForReading)
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = errorReader.wait()
    process.waitUntilExit()
    return KubectlOutput(
        status: process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

private final class ErrorReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// A namespace for one test, deleted when the test ends (without waiting for it to go).
final class ClusterNamespace: @unchecked Sendable {
    let name: String

    /// - Parameters:
    ///   - kubelet: false labels the namespace so the kubelet stand-in leaves its pods Pending.
    ///   - create: false only picks the name (a test's manifests create the namespace).
    init(kubelet: Bool = true, create: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        name = "sct-" + (0..<8).map { _ in "0123456789abcdef".randomElement()! }.map(String.init).joined()
        guard create else { return }
        let created = try kubectl(["create", "namespace", name])
        try #require(created.status == 0, "kubectl create namespace failed: \(created.stderr)", sourceLocation: sourceLocation)
        if !kubelet {
            let labelled = try kubectl(["label", "namespace", name, "secretctl.test/kubelet=off"])
            try #require(labelled.status == 0, "kubectl label namespace failed: \(labelled.stderr)", sourceLocation: sourceLocation)
        }
    }

    deinit {
        _ = try? kubectl(["delete", "namespace", name, "--wait=false"], timeout: 20)
    }

    /// `kubectl get -o json` of one object in this namespace, parsed; nil when it does not exist.
    func object(_ kind: String, _ objectName: String) throws -> [String: Any]? {
        let result = try kubectl(["get", kind, objectName, "-n", name, "-o", "json", "--show-managed-fields"])
        if result.status != 0 {
            #expect(result.stderr.contains("NotFound"), "kubectl get \(kind) \(objectName) failed: \(result.stderr)")
            return nil
        }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    }

    /// The live Secret's `data`, decoded; nil when the Secret does not exist.
    func secretData(_ secret: String = "todo-secrets") throws -> [String: [UInt8]]? {
        guard let object = try object("secret", secret) else { return nil }
        let data = object["data"] as? [String: String] ?? [:]
        return try data.mapValues { try #require(Data(base64Encoded: $0)).map { $0 } }
    }

    /// The live Secret's annotations.
    func secretAnnotations(_ secret: String = "todo-secrets") throws -> [String: String] {
        let metadata = try object("secret", secret)?["metadata"] as? [String: Any]
        return metadata?["annotations"] as? [String: String] ?? [:]
    }

    /// `spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]` of a workload.
    func restartedAt(_ kind: String, _ workload: String) throws -> String? {
        let spec = try object(kind, workload)?["spec"] as? [String: Any]
        let template = spec?["template"] as? [String: Any]
        let metadata = template?["metadata"] as? [String: Any]
        return (metadata?["annotations"] as? [String: String])?["kubectl.kubernetes.io/restartedAt"]
    }
}

extension TestSandbox {
    /// A project bound to `namespace` on the test cluster: the app's k8s/ folder with its
    /// namespace replaced, `KUBECONFIG` set, and kubectl reached through the argv logger.
    func clusterProject(_ namespace: ClusterNamespace, secrets: Bool = true) async throws {
        try copyAppManifests()
        for name in try FileManager.default.contentsOfDirectory(atPath: project + "/k8s") {
            let path = project + "/k8s/" + name
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.replacingOccurrences(of: "todo-app", with: namespace.name).write(toFile: path, atomically: true, encoding: .utf8)
        }
        var variables = self.variables
        variables["KUBECONFIG"] = TestCluster.kubeconfig
        variables["KUBECTL"] = TestCluster.scripts + "/kubectl-argv-log"
        variables["KUBECTL_REAL"] = TestCluster.kubectlPath
        variables["KUBECTL_ARGV_LOG"] = root + "/kubectl-argv.log"
        variables["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        self.variables = variables
        if let context = TestCluster.context {
            try writeText("environments:\n  dev: { context: \(context), namespace: \(namespace.name) }\n", to: secrets ? self.secrets + "/environments.yaml" : project + "/environments.yaml")
        }
        guard secrets else { return }
        try await initVault()
        try await set("DATABASE_URL", "postgresql://todo:hunter2-db@ep-1.neon.tech/todo?sslmode=require")
        try await set("OPENAI_API_KEY", "sk-proj-cluster-test-0123456789")
        let generated = await run(["generate", "BETTER_AUTH_SECRET"])
        try #require(generated.code == 0, "generate failed: \(generated.stderr)")
        remember(try await get("BETTER_AUTH_SECRET"))
    }

    /// The kubectl calls secretctl made so far: start time (seconds) and arguments.
    func kubectlCalls() throws -> [(start: Double, arguments: [String])] {
        let text = (try? String(contentsOfFile: root + "/kubectl-argv.log", encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            let words = line.split(separator: "\u{0}", omittingEmptySubsequences: false).dropLast().map(String.init)
            let start = try #require(words.first.flatMap(Double.init), "a kubectl call without its start time")
            return (start, Array(words.dropFirst()))
        }
    }

    /// The app's three entries, as `clusterProject` stores them.
    static let appKeys = ["BETTER_AUTH_SECRET", "DATABASE_URL", "OPENAI_API_KEY"]

    /// The vault's values of the app's entries: what the live Secret should hold.
    func appValues() async throws -> [String: [UInt8]] {
        var values: [String: [UInt8]] = [:]
        for key in Self.appKeys { values[key] = try await get(key) }
        return values
    }

    func writeText(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path, mode: 0o644)
    }

    /// Expects that no stored value, raw or base64, is in `text`, nor in any kubectl argv so far.
    func expectNoValueAnywhere(_ texts: [String], kubectlCalled: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let argv = (try? Data(contentsOf: URL(fileURLWithPath: root + "/kubectl-argv.log"))).map(Array.init) ?? []
        for value in rememberedValues where value.count >= 4 {
            let encoded = Array(Data(value).base64EncodedString().utf8)
            for text in texts.map({ Array($0.utf8) }) + [argv] {
                #expect(!text.contains(subsequence: value), "a stored value appeared", sourceLocation: sourceLocation)
                #expect(!text.contains(subsequence: encoded), "a stored value's base64 appeared", sourceLocation: sourceLocation)
            }
        }
        if kubectlCalled {
            #expect(!argv.isEmpty, "kubectl was never called through the argv logger", sourceLocation: sourceLocation)
        }
    }
}
