import Foundation
import SecretctlCore
import Testing

/// `render -f`: streams from kustomize, a Helm-style post-renderer and an Argo CD plugin.
struct KubeStreamCommandTests {
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The documents of a YAML stream, read by PyYAML (an independent reader).
    static func yamlDocuments(_ yaml: [UInt8]) throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys, json, yaml; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d], sys.stdout)"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(yaml))
        try input.fileHandleForWriting.close()
        let json = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "PyYAML could not read the stream")
        return try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
    }

    /// Whether `kubernetes-validate --strict -k 1.32` accepts the stream (read on its stdin).
    static func validates(_ stream: [UInt8]) throws -> Bool {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/kubernetes-validate" }
        let validator = try #require(path.first { access($0, X_OK) == 0 }, "kubernetes-validate is not installed (pip install kubernetes-validate)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: validator)
        process.arguments = ["--strict", "-k", "1.32", "--quiet", "/dev/stdin"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(stream))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// The `data` of the Secret `name` in a rendered stream, decoded.
    static func secretData(_ stream: [UInt8], _ name: String) throws -> [String: [UInt8]]? {
        let documents = try Self.yamlDocuments(stream)
        guard let secret = documents.first(where: { $0["kind"] as? String == "Secret" && ($0["metadata"] as? [String: Any])?["name"] as? String == name })
        else { return nil }
        return try (secret["data"] as? [String: String] ?? [:]).mapValues { try #require(Data(base64Encoded: $0)).map { $0 } }
    }

    func expectAppSecretFilled(_ stream: [UInt8], _ sandbox: TestSandbox, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let data = try #require(try Self.secretData(stream, "todo-secrets"), "no todo-secrets in the stream", sourceLocation: sourceLocation)
        for key in ["DATABASE_URL", "OPENAI_API_KEY", "BETTER_AUTH_SECRET"] {
            #expect(data[key] == (try await sandbox.get(key)), "\(key) is not the vault's value", sourceLocation: sourceLocation)
        }
        #expect(data["BETTER_AUTH_SECRETS"] == nil, "an optional key the vault lacks is left out", sourceLocation: sourceLocation)
        #expect(try Self.validates(stream), "kubernetes-validate refused the stream", sourceLocation: sourceLocation)
    }

    @Test func theAppFolderRendersWithEveryOtherFileByteForByte() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        let result = await sandbox.run(["render", "-f", "k8s/"])
        result.expectSuccess()
        try await expectAppSecretFilled(result.stdout, sandbox)
        let text = result.stdoutText
        for file in ["configmap.yaml", "deployment-backend.yaml", "ingress.yaml", "namespace.yaml", "service-frontend.yaml"] {
            let original = try String(contentsOfFile: sandbox.project + "/k8s/" + file, encoding: .utf8)
            #expect(text.contains(original), "\(file) did not pass through byte for byte")
        }
    }

    @Test func kustomizeOutputIsFilled() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        try sandbox.write(Array("""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [namespace.yaml, configmap.yaml, secret.yaml, deployment-backend.yaml]
            commonLabels: {env: dev}

            """.utf8), to: sandbox.project + "/k8s/kustomization.yaml", mode: 0o644)
        let kustomize = try RunningProcess(
            executable: TestCluster.kubectlPath, arguments: ["kustomize", sandbox.project + "/k8s"],
            environment: sandbox.processEnvironment(), workingDirectory: sandbox.project, stdin: nil).finish()
        try #require(kustomize.code == 0, "kubectl kustomize failed: \(kustomize.stderr)")
        #expect(kustomize.stdoutText.contains("secretctl:DATABASE_URL"), "kustomize kept the references")
        let result = await sandbox.run(["render", "-f", "-"], stdin: kustomize.stdout)
        result.expectSuccess()
        try await expectAppSecretFilled(result.stdout, sandbox)
        #expect(result.stdoutText.contains("env: dev"))
    }

    /// Helm 3 runs a post-renderer with no shell: the executable, its --post-renderer-args,
    /// manifests on stdin, manifests on stdout.
    @Test func worksAsAHelmPostRenderer() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        let chart = "---\n# Source: todo/templates/secret.yaml\n"
            + (try String(contentsOfFile: sandbox.project + "/k8s/secret.yaml", encoding: .utf8))
            + "---\n# Source: todo/templates/own-secret.yaml\napiVersion: v1\nkind: Secret\nmetadata: {name: chart-own, namespace: todo-app}\ndata: {token: Y2hhcnQ=}\n"
        let result = try sandbox.runBinary(["render", "-f", "-"], stdin: Array(chart.utf8))
        #expect(result.code == 0, "\(result.stderr)")
        try await expectAppSecretFilled(result.stdout, sandbox)
        #expect(try Self.secretData(result.stdout, "chart-own") == ["token": Array("chart".utf8)], "the chart's own Secret changed")

        let missing = try sandbox.runBinary(["render", "-f", "-"], stdin: Array((chart + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata: {A: secretctl:NOT_IN_VAULT}\n").utf8))
        #expect(missing.code != 0)
        #expect(missing.stdout.isEmpty, "a failed post-renderer must print nothing")
        #expect(missing.stderr.contains("NOT_IN_VAULT"))
    }

    /// docs/argocd-plugin.yaml's generate command, run as the repo-server runs it: in the app's
    /// source folder, with ARGOCD_APP_* and ARGOCD_ENV_* variables.
    @Test func theArgoCDPluginGeneratesManifestsOrFailsWithNothing() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        let plugin = try Self.yamlDocuments(Array(try Data(contentsOf: URL(fileURLWithPath: Self.repository + "/docs/argocd-plugin.yaml"))))
        let generate = try #require((plugin.first?["spec"] as? [String: Any])?["generate"] as? [String: Any])
        let command = (generate["command"] as? [String] ?? []) + (generate["args"] as? [String] ?? [])
        try #require(command.count >= 2 && command[0] == "sh", "generate is not a shell command: \(command)")
        let binaryFolder = (try BuiltBinary.require() as NSString).deletingLastPathComponent
        let environment = sandbox.processEnvironment([
            "PATH": binaryFolder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "ARGOCD_APP_NAME": "todo", "ARGOCD_APP_NAMESPACE": "todo-app", "ARGOCD_APP_SOURCE_PATH": "k8s",
            "ARGOCD_ENV_SECRETCTL_ENV": "dev",
        ])
        func run() throws -> CLIResult {
            try RunningProcess(executable: "/bin/sh", arguments: Array(command.dropFirst()), environment: environment,
                workingDirectory: sandbox.project + "/k8s", stdin: nil).finish()
        }
        let generated = try run()
        #expect(generated.code == 0, "\(generated.stderr)")
        try await expectAppSecretFilled(generated.stdout, sandbox)

        await sandbox.run(["rm", "OPENAI_API_KEY"]).expectSuccess()
        let failed = try run()
        #expect(failed.code != 0, "a missing entry must fail the generate step")
        #expect(failed.stdout.isEmpty, "an empty stdout with a zero exit would prune the app")
    }

    @Test func renderUsesTheEnvironmentsNamespaceAsApplyDoes() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        try sandbox.write(Array("environments:\n  dev: { context: kind-dev, namespace: todo-dev }\n".utf8),
            to: sandbox.secrets + "/environments.yaml", mode: 0o644)
        let result = await sandbox.run(["render"])
        result.expectSuccess()
        #expect(result.stdoutText.contains("  namespace: todo-dev\n"), "\(result.stdoutText)")
        let explicit = await sandbox.run(["render", "--namespace", "other"])
        #expect(explicit.stdoutText.contains("  namespace: other\n"))
    }
}
