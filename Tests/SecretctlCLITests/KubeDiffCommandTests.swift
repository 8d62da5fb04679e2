import Foundation
import SecretctlCore
import Testing

/// `secretctl diff`: key names only; 0 equal, 1 different, 2 or more on trouble.
struct KubeDiffCommandTests {
    static let database = "postgresql://todo:hunter2-db@ep-1.neon.tech/todo?sslmode=require"
    static let openai = "sk-proj-kube-test-0123456789"

    func liveApp(_ sandbox: TestSandbox, _ changes: [String: [UInt8]?] = [:]) async throws -> [String: [UInt8]] {
        var data: [String: [UInt8]] = [
            "DATABASE_URL": Array(Self.database.utf8),
            "OPENAI_API_KEY": Array(Self.openai.utf8),
            "BETTER_AUTH_SECRET": try await sandbox.get("BETTER_AUTH_SECRET"),
        ]
        for (key, value) in changes { data[key] = value }
        return data
    }

    @Test func equalWhenTheClusterMatches() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.liveSecret(data: try await liveApp(sandbox))
        let result = await sandbox.run(["diff", "--context", "minikube"], environment: kubectl.environment)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdoutText == """
            todo-app/todo-secrets: up to date
              = BETTER_AUTH_SECRET  unchanged
              = DATABASE_URL        unchanged
              = OPENAI_API_KEY      unchanged

            """)
        #expect(try kubectl.calls().map(\.arguments) == [["--context", "minikube", "get", "secret", "todo-secrets", "-n", "todo-app", "-o", "json"]])
    }

    @Test func differencesByKeyNameAndTheLeakingAnnotation() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        let stale = Array("postgresql://stale-value".utf8)
        sandbox.remember(stale)
        sandbox.remember(Array("removed-key-value".utf8))
        let live = try await liveApp(sandbox, ["DATABASE_URL": stale, "OPENAI_API_KEY": nil, "OLD_TOKEN": Array("removed-key-value".utf8)])
        try kubectl.liveSecret(data: live, lastApplied: true)
        let result = await sandbox.run(["diff"], environment: kubectl.environment)
        #expect(result.code == 1, "\(result.stderr)")
        #expect(result.stdoutText == """
            todo-app/todo-secrets: different
              + OPENAI_API_KEY      only in the vault
              - OLD_TOKEN           only in the cluster
              ~ DATABASE_URL        changed
              = BETTER_AUTH_SECRET  unchanged
              ! annotation kubectl.kubernetes.io/last-applied-configuration holds a copy of every value (left by a client-side 'kubectl apply')

            """)
        #expect(result.hints.contains { $0.contains("secretctl apply") })
        for value in sandbox.rememberedValues {
            #expect(!result.stdout.contains(subsequence: value), "diff printed a value")
            #expect(!result.stdout.contains(subsequence: Array(Data(value).base64EncodedString().utf8)), "diff printed a value's base64")
        }
    }

    @Test func aSecretMissingFromTheClusterIsDifferent() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.secretNotFound()
        let result = await sandbox.run(["diff"], environment: kubectl.environment)
        #expect(result.code == 1)
        #expect(result.stdoutText.hasPrefix("todo-app/todo-secrets: not in the cluster\n  + BETTER_AUTH_SECRET"))
    }

    /// The vault lacks the template's keys: exit 2, not 1 ("different").
    @Test func aRenderRefusalExitsTwo() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try sandbox.copyAppManifests()
        try await sandbox.initVault()
        await sandbox.run(["diff"], environment: kubectl.environment).expectFailure(.trouble, "DATABASE_URL")
        #expect(try kubectl.calls().isEmpty)
    }

    @Test func kubectlTroubleIsASystemError() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try await sandbox.appProject()
        try kubectl.respond(to: "get", stderr: "error: You must be logged in to the server (Unauthorized)\n", status: 1)
        await sandbox.run(["diff"], environment: kubectl.environment).expectFailure(.system, "Unauthorized")
        try kubectl.respond(to: "get", stdout: "{not json")
        await sandbox.run(["diff"], environment: kubectl.environment).expectFailure(.system, "not a Secret as JSON")
    }
}
