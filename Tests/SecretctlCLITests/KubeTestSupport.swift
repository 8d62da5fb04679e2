import Foundation
import Testing

/// The recording stand-in for kubectl (Tests/Fixtures/kubectl-recorder), set
/// through `KUBECTL`: every call's argv and stdin are saved, answers are canned.
struct KubeRecorder {
    struct Call: CustomStringConvertible {
        var arguments: [String]
        var stdin: [UInt8]
        var description: String { arguments.joined(separator: " ") }
    }

    static let script: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        return url.path + "/Fixtures/kubectl-recorder"
    }()

    let records: String
    let responses: String

    init(in sandbox: TestSandbox) throws {
        records = sandbox.root + "/kubectl-records"
        responses = sandbox.root + "/kubectl-responses"
        try sandbox.makeFolder(records)
        try sandbox.makeFolder(responses)
    }

    /// What a command needs in its environment to use the recorder.
    var environment: [String: String] {
        [
            "KUBECTL": Self.script,
            "KUBECTL_RECORD_DIR": records,
            "KUBECTL_RESPONSES": responses,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
    }

    /// Answers every call of `verb` (`get`, `apply`, `annotate`, `rollout-restart`, `rollout-status`).
    func respond(to verb: String, stdout: String = "", stderr: String = "", status: Int32 = 0) throws {
        try Data(stdout.utf8).write(to: URL(fileURLWithPath: "\(responses)/\(verb).stdout"))
        try Data(stderr.utf8).write(to: URL(fileURLWithPath: "\(responses)/\(verb).stderr"))
        try Data(String(status).utf8).write(to: URL(fileURLWithPath: "\(responses)/\(verb).status"))
    }

    /// `get secret` answers NotFound, as kubectl does for a Secret that does not exist.
    func secretNotFound(_ name: String = "todo-secrets") throws {
        try respond(to: "get", stderr: "Error from server (NotFound): secrets \"\(name)\" not found\n", status: 1)
    }

    /// `get secret` answers with this Secret, as `kubectl get -o json` prints it.
    func liveSecret(name: String = "todo-secrets", namespace: String = "todo-app", data: [String: [UInt8]], lastApplied: Bool = false) throws {
        let encoded = data.mapValues { Data($0).base64EncodedString() }
        var metadata: [String: Any] = ["name": name, "namespace": namespace, "resourceVersion": "7"]
        if lastApplied {
            let applied = try JSONSerialization.data(withJSONObject: ["apiVersion": "v1", "kind": "Secret", "data": encoded], options: [.sortedKeys])
            metadata["annotations"] = ["kubectl.kubernetes.io/last-applied-configuration": String(decoding: applied, as: UTF8.self) + "\n"]
        }
        let object: [String: Any] = ["apiVersion": "v1", "kind": "Secret", "type": "Opaque", "data": encoded, "metadata": metadata]
        let json = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try respond(to: "get", stdout: String(decoding: json, as: UTF8.self))
    }

    /// Every call so far, in order.
    func calls() throws -> [Call] {
        let names = try FileManager.default.contentsOfDirectory(atPath: records).filter { $0.hasSuffix(".argv") }.sorted()
        return try names.map { name in
            let base = records + "/" + String(name.dropLast(5))
            let argv = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".argv"))) as? [String],
                "unreadable \(name)")
            return Call(arguments: argv, stdin: Array(try Data(contentsOf: URL(fileURLWithPath: base + ".stdin"))))
        }
    }

    /// Expects that no remembered value, nor its base64, is in any call's arguments.
    func expectNoValueInArguments(_ sandbox: TestSandbox, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let arguments = Array(try calls().flatMap(\.arguments).joined(separator: "\u{0}").utf8)
        for value in sandbox.rememberedValues where value.count >= 4 {
            #expect(!arguments.contains(subsequence: value), "a value appeared in kubectl's argv", sourceLocation: sourceLocation)
            #expect(!arguments.contains(subsequence: Array(Data(value).base64EncodedString().utf8)),
                "a value's base64 appeared in kubectl's argv", sourceLocation: sourceLocation)
        }
    }
}

extension TestSandbox {
    /// The app's real k8s/ folder, copied into the project.
    func copyAppManifests() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let source = url.path + "/k8s"
        try makeFolder(project + "/k8s")
        for name in try FileManager.default.contentsOfDirectory(atPath: source) where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: project + "/k8s/" + name)
        }
    }

    /// A vault with the app's three secrets and the app's manifests.
    func appProject(environment: [String: String] = [:]) async throws {
        try copyAppManifests()
        try await initVault(environment: environment)
        try await set("DATABASE_URL", "postgresql://todo:hunter2-db@ep-1.neon.tech/todo?sslmode=require", environment: environment)
        try await set("OPENAI_API_KEY", "sk-proj-kube-test-0123456789", environment: environment)
        let generated = await run(["generate", "BETTER_AUTH_SECRET"], environment: environment)
        try #require(generated.code == 0, "generate failed: \(generated.stderr)")
        remember(try await get("BETTER_AUTH_SECRET", environment: environment))
    }

    /// `secretctl render`'s stdout; fails the test unless it succeeds.
    func rendered(_ extra: [String] = [], environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> [UInt8] {
        let result = await run(["render"] + extra, environment: environment, sourceLocation: sourceLocation)
        try #require(result.code == 0, "render failed (\(result.code)):\n\(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }
}
