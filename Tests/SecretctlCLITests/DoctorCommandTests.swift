import Foundation
import SecretctlCore
import Testing

/// `secretctl doctor` on real files, a real repository and the kubectl stand-in.
@Suite("doctor: permissions, .gitignore, templates, guard, cluster")
struct DoctorCommandTests {
    static let template = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: todo-secrets
          namespace: todo-app
        type: Opaque
        data:
          DATABASE_URL: secretctl:DATABASE_URL
          BETTER_AUTH_SECRET: secretctl:BETTER_AUTH_SECRET

        """

    /// A project with nothing to fix: vault, key, .gitignore, template, guard; kubectl answers.
    static func healthy(sourceLocation: SourceLocation = #_sourceLocation) async throws -> (TestSandbox, ScanGit, KubeRecorder) {
        let (sandbox, git) = try await ScanValues.project(sourceLocation: sourceLocation)
        try sandbox.write(Array("*.key\n.env\n.env.*\nsecrets/*.lock\nsecrets/*.tmp-*\n".utf8), to: sandbox.project + "/.gitignore", mode: 0o644)
        try sandbox.makeFolder(sandbox.project + "/k8s")
        try sandbox.write(Array(template.utf8), to: sandbox.project + "/k8s/secret.yaml", mode: 0o644)
        await sandbox.run(["guard", "install"], sourceLocation: sourceLocation).expectSuccess(sourceLocation: sourceLocation)
        let kubectl = try KubeRecorder(in: sandbox)
        try kubectl.respond(to: "config", stdout: "minikube\n")
        try kubectl.liveSecret(data: ["DATABASE_URL": Array(ScanValues.databaseURL.utf8)])
        return (sandbox, git, kubectl)
    }

    static func lines(_ result: CLIResult, _ tag: String) -> [String] {
        result.stdoutText.split(separator: "\n").map(String.init).filter { $0.hasPrefix(tag) }
    }

    /// A template in the old form ("" values) still renders, but a raw `kubectl apply` of it
    /// empties the live Secret: doctor says so, with the command that converts it.
    @Test func anEmptyValueTemplateIsFlaggedWithTheFix() async throws {
        let (sandbox, _, kubectl) = try await Self.healthy()
        try sandbox.write(Array(Self.template.replacingOccurrences(of: "secretctl:DATABASE_URL", with: "\"\"").utf8),
            to: sandbox.project + "/k8s/secret.yaml", mode: 0o644)
        let result = await sandbox.run(["doctor", "--json"], environment: kubectl.environment)
        #expect(result.code == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let checks = try #require(object["checks"] as? [[String: Any]])
        let flagged = try #require(checks.first { $0["area"] as? String == "template" && $0["status"] as? String == "attention" }, "\(checks)")
        #expect((flagged["message"] as? String)?.contains("DATABASE_URL") == true)
        #expect((flagged["fix"] as? String)?.contains("secretctl template convert") == true)
        let converted = await sandbox.run(["template", "convert"])
        converted.expectSuccess()
        #expect(await sandbox.run(["doctor"], environment: kubectl.environment).code == 0, "still flagged after the conversion")
    }

    @Test("all well: exit 0, every area checked, the context named")
    func healthyProject() async throws {
        let (sandbox, _, kubectl) = try await Self.healthy()
        let result = await sandbox.run(["doctor"], environment: kubectl.environment)
        #expect(result.code == 0, "\(result.stdoutText)\n\(result.stderr)")
        #expect(Self.lines(result, "FIX").isEmpty)
        for area in ["vault:", "key file:", ".gitignore:", "guard:", "template:", "cluster:"] {
            #expect(Self.lines(result, "ok").contains { $0.contains(area) }, "an ok line for \(area):\n\(result.stdoutText)")
        }
        #expect(result.stdoutText.contains("current context: minikube"))
        let calls = try kubectl.calls().map(\.description)
        #expect(calls.contains { $0.contains("get secret todo-secrets -n todo-app -o json") }, "\(calls)")
    }

    @Test("each problem is reported with its fix, and no value is printed")
    func problems() async throws {
        let (sandbox, git, kubectl) = try await Self.healthy()
        chmod(sandbox.vaultPath(), 0o644)
        let key = try sandbox.keyFile()
        chmod(key, 0o640)
        try sandbox.write(Array("node_modules/\n".utf8), to: sandbox.project + "/.gitignore", mode: 0o644)
        let leaky = Self.template.replacingOccurrences(of: "DATABASE_URL: secretctl:DATABASE_URL", with: "DATABASE_URL: \"\(ScanValues.databaseURL)\"")
        try sandbox.write(Array(leaky.utf8), to: sandbox.project + "/k8s/secret.yaml", mode: 0o644)
        await sandbox.run(["guard", "uninstall"]).expectSuccess()
        try sandbox.write(Array("API_TOKEN=x\n".utf8), to: sandbox.project + "/.env", mode: 0o644)
        try git(["add", ".env"])
        try kubectl.liveSecret(data: ["BETTER_AUTH_SECRET": Array(ScanValues.authSecret.utf8)], lastApplied: true)

        let result = await sandbox.run(["doctor"], environment: kubectl.environment)
        #expect(result.code == 1)
        let fixes = Self.lines(result, "FIX").joined(separator: "\n")
        #expect(fixes.contains("vault: \(sandbox.vaultPath()) is mode 0644"))
        #expect(fixes.contains("key file:") && fixes.contains("0640"))
        #expect(fixes.contains(".gitignore: does not ignore *.key, .env"))
        #expect(fixes.contains(".gitignore: .env is tracked"))
        #expect(fixes.contains("template:") && fixes.contains("DATABASE_URL holds a value"))
        #expect(fixes.contains("guard: no pre-commit hook"))
        #expect(fixes.contains("last-applied-configuration"))
        let text = result.stdoutText
        #expect(text.contains("fix: chmod 600 \(sandbox.vaultPath())"))
        #expect(text.contains("fix: chmod 600 \(key)"))
        #expect(text.contains("fix: secretctl guard install"))
        #expect(text.contains("kubectl annotate secret todo-secrets -n todo-app kubectl.kubernetes.io/last-applied-configuration-"))
        // The eighth: with its key file refused (0640), the vault does not open at all.
        #expect(fixes.contains("unlock: LOCKED OUT") && fixes.contains("readable by other users"))
        #expect(result.stderr.contains("8 things need attention"), "\(result.stderr)")
        ScanValues.expectNoValue(text + result.stderr, sandbox)
    }

    @Test("an unreachable cluster or a missing kubectl is worth a note, not a failure")
    func noCluster() async throws {
        let (sandbox, _, kubectl) = try await Self.healthy()
        try kubectl.respond(to: "get", stderr: "Unable to connect to the server: dial tcp 127.0.0.1:8443: connect: connection refused\n", status: 1)
        let unreachable = await sandbox.run(["doctor"], environment: kubectl.environment)
        #expect(unreachable.code == 0, "\(unreachable.stdoutText)")
        #expect(Self.lines(unreachable, "info").contains { $0.contains("was not reachable") })

        var missing = kubectl.environment
        missing["KUBECTL"] = sandbox.root + "/no-kubectl-here"
        let without = await sandbox.run(["doctor", "--json"], environment: missing)
        #expect(without.code == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(without.stdout)) as? [String: Any])
        #expect(object["ok"] as? Bool == true)
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.contains { ($0["message"] as? String)?.contains("kubectl was not found") == true })
    }
}
