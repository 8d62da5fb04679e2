import Foundation
import SecretctlCore
import Testing

/// `secretctl render`: the manifest on stdout, every refusal with nothing on stdout.
struct KubeRenderCommandTests {
    @Test func rendersTheAppTemplateWithTheVaultsValues() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        let result = await sandbox.run(["render"])
        result.expectSuccess()
        let text = result.stdoutText
        let database = Data("postgresql://todo:hunter2-db@ep-1.neon.tech/todo?sslmode=require".utf8).base64EncodedString()
        #expect(text.hasPrefix("apiVersion: v1\ndata:\n"))
        #expect(text.contains("  DATABASE_URL: \"\(database)\"\n"))
        #expect(text.contains("  name: todo-secrets\n  namespace: todo-app\ntype: Opaque\n"))
        #expect(!text.contains("  BETTER_AUTH_SECRETS:"), "an optional key the vault lacks is left out")
        #expect(result.warnings.isEmpty, "no warning when stdout is a pipe:\n\(result.stderr)")
    }

    @Test func jsonOutputHasTheSameData() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        let json = try await sandbox.rendered(["-o", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any], "not a JSON object")
        let data = try #require(object["data"] as? [String: String], "no data")
        #expect(data.keys.sorted() == ["BETTER_AUTH_SECRET", "DATABASE_URL", "OPENAI_API_KEY"])
        #expect(data["OPENAI_API_KEY"] == Data("sk-proj-kube-test-0123456789".utf8).base64EncodedString())
        #expect(try await sandbox.rendered(["--output", "json"]) == json, "the same bytes every time")
    }

    @Test func warnsAboutTheScrollbackOnATerminal() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.appProject()
        let result = await sandbox.run(["render"], stdoutIsTerminal: true)
        result.expectSuccess()
        #expect(result.warnings.contains { $0.contains("scrollback") })
        #expect(!result.stdout.isEmpty)
    }

    @Test func renderAllNeedsNoTemplate() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("B_KEY", "value-b-1234")
        try await sandbox.set("A_KEY", "value-a-1234")
        let result = await sandbox.run(["render", "--all", "--name", "app-env", "--namespace", "staging"])
        result.expectSuccess()
        #expect(result.stdoutText == """
            apiVersion: v1
            data:
              A_KEY: "\(Data("value-a-1234".utf8).base64EncodedString())"
              B_KEY: "\(Data("value-b-1234".utf8).base64EncodedString())"
            kind: Secret
            metadata:
              name: app-env
              namespace: staging
            type: Opaque

            """)
    }

    @Test(arguments: [
        (["render", "--all"], "--name"),
        (["render", "--name", "x"], "--all"),
        (["render", "--all", "--name", "x", "--template", "t.yaml"], "without a template"),
        (["render", "-o", "toml"], "toml"),
    ])
    func optionMistakesAreUsageErrors(arguments: [String], fragment: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(arguments).expectFailure(.usage, fragment)
    }

    @Test func missingKeysAreAllNamedAndNothingIsPrinted() async throws {
        let sandbox = try TestSandbox()
        try sandbox.copyAppManifests()
        try await sandbox.initVault()
        try await sandbox.set("OPENAI_API_KEY", "sk-proj-only-this-one")
        await sandbox.run(["render"]).expectFailure(.failure, "no entries BETTER_AUTH_SECRET, DATABASE_URL", hint: "secretctl set")
    }

    @Test func aTemplateHoldingAValueIsRefused() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("TOKEN", "the-real-token")
        sandbox.remember(Array("committed-token-value".utf8))
        try sandbox.write(Array("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  TOKEN: committed-token-value\n".utf8),
            to: sandbox.project + "/leaky.yaml")
        await sandbox.run(["render", "--template", "leaky.yaml"]).expectFailure(.failure, "may have been committed", hint: "rotate TOKEN")
    }

    @Test func anInvalidKeyNameIsRefused() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try sandbox.write(Array("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {\"MY KEY\": \"\"}\n".utf8),
            to: sandbox.project + "/bad.yaml")
        await sandbox.run(["render", "--template", "bad.yaml"]).expectFailure(.failure, "not a valid Kubernetes Secret key")
    }

    /// kubectl's --from-env-file stops silently at a 64 KiB line; secretctl renders
    /// any value up to the Secret limit, and refuses (never truncates) beyond it.
    @Test func largeValuesRenderWholeAndTooLargeSecretsAreRefused() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let large = [UInt8](repeating: UInt8(ascii: "k"), count: 200 * 1024)
        try await sandbox.set("LARGE", large)
        try sandbox.write(Array("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {LARGE: \"\", MORE: \"\"}\n".utf8),
            to: sandbox.project + "/t.yaml")
        try await sandbox.set("MORE", [UInt8](repeating: UInt8(ascii: "m"), count: 100))
        let rendered = try await sandbox.rendered(["--template", "t.yaml", "-o", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(rendered)) as? [String: Any], "not JSON")
        #expect((object["data"] as? [String: String])?["LARGE"] == Data(large).base64EncodedString())

        try await sandbox.set("MORE", [UInt8](repeating: UInt8(ascii: "m"), count: 900 * 1024))
        await sandbox.run(["render", "--template", "t.yaml"]).expectFailure(.failure, "over 1 MiB")
    }

    @Test func aMissingTemplateIsMissingInput() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["render"]).expectFailure(.noInput, "no template at", hint: "--all")
    }
}

/// A Secret with no keys never reaches kubectl: applied with secretctl's field manager it
/// would remove every key secretctl owned in the live Secret.
struct KubeEmptySecretTests {
    static let emptyData = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: todo-secrets
          namespace: todo-app
        type: Opaque
        data: {}

        """
    static let onlyOptional = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: todo-secrets
          namespace: todo-app
          annotations:
            secretctl/optional-keys: NOT_YET_THERE
        type: Opaque
        data:
          NOT_YET_THERE: ""

        """

    @Test(arguments: [(emptyData, "under 'data:'"), (onlyOptional, "secretctl set NOT_YET_THERE")])
    func renderAndApplyRefuseASecretWithNoKeys(template: String, hint: String) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("SOMETHING", "a-value-not-in-the-template")
        try sandbox.makeFolder(sandbox.project + "/k8s")
        try sandbox.write(Array(template.utf8), to: sandbox.project + "/k8s/secret.yaml", mode: 0o644)
        await sandbox.run(["render"]).expectFailure(.failure, "would have no keys", hint: hint)

        let kubectl = try KubeRecorder(in: sandbox)
        try kubectl.liveSecret(data: ["SOMETHING": Array("kept-in-the-cluster".utf8)])
        await sandbox.run(["apply"], environment: kubectl.environment).expectFailure(.failure, "would have no keys")
        let calls = try kubectl.calls()
        #expect(calls.allSatisfy { !$0.arguments.contains("apply") }, "kubectl apply never ran: \(calls)")
    }

    @Test func renderAllOfAnEmptyVaultIsRefused() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        await sandbox.run(["render", "--all", "--name", "app-env"]).expectFailure(.failure, "would have no keys", hint: "secretctl set")
    }
}
