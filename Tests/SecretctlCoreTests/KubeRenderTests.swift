import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// Filling templates from a vault and writing the manifest.
struct KubeRenderTests {
    static let appValues: [String: [UInt8]] = [
        "DATABASE_URL": Array("postgresql://todo:pw@ep-1.neon.tech/todo?sslmode=require".utf8),
        "OPENAI_API_KEY": Array("sk-proj-0123456789".utf8),
        "BETTER_AUTH_SECRET": Array("q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c=".utf8),
    ]

    static func appTemplate() throws -> SecretTemplate { try SecretTemplate.load(KubeTestTools.k8s + "/secret.yaml") }

    @Test func rendersTheAppSecretAsExpectedYAML() throws {
        let secrets = try SecretRenderer.fill(try Self.appTemplate(), from: KubeTestTools.contents(Self.appValues))
        let text = KubeTestTools.string(ManifestWriter.write(secrets, as: .yaml))
        func b64(_ key: String) -> String { Data(Self.appValues[key]!).base64EncodedString() }
        #expect(text == """
            apiVersion: v1
            data:
              BETTER_AUTH_SECRET: "\(b64("BETTER_AUTH_SECRET"))"
              DATABASE_URL: "\(b64("DATABASE_URL"))"
              OPENAI_API_KEY: "\(b64("OPENAI_API_KEY"))"
            kind: Secret
            metadata:
              labels:
                app.kubernetes.io/managed-by: secretctl
                app.kubernetes.io/part-of: todo-app
              name: todo-secrets
              namespace: todo-app
            type: Opaque

            """)
    }

    @Test func anOptionalKeyIsRenderedWhenTheVaultHasIt() throws {
        var values = Self.appValues
        values["BETTER_AUTH_SECRETS"] = Array("2:new,1:old".utf8)
        let secrets = try SecretRenderer.fill(try Self.appTemplate(), from: KubeTestTools.contents(values))
        #expect(secrets[0].values.map(\.key) == ["BETTER_AUTH_SECRET", "BETTER_AUTH_SECRETS", "DATABASE_URL", "OPENAI_API_KEY"])
    }

    @Test func missingKeysAreAllNamedAtOnce() throws {
        let contents = KubeTestTools.contents(["OPENAI_API_KEY": [1]])
        let error = try #require(throws: SecretctlError.self) { try SecretRenderer.fill(try Self.appTemplate(), from: contents) }
        #expect(error.message.contains("BETTER_AUTH_SECRET, DATABASE_URL"))
        #expect(!error.message.contains("BETTER_AUTH_SECRETS"), "an optional key is not missing")
        #expect(error.message.contains("nothing was rendered"))
    }

    @Test func theNamespaceOptionOverridesTheTemplates() throws {
        let secrets = try SecretRenderer.fill(try Self.appTemplate(), from: KubeTestTools.contents(Self.appValues), namespace: "staging")
        #expect(secrets[0].manifest.namespace == "staging")
    }

    /// The API server counts keys plus values against 1 MiB.
    @Test(arguments: [(0, true), (1, false)])
    func aSecretOverOneMebibyteIsRefused(extra: Int, fits: Bool) throws {
        let key = "BIG"
        let contents = KubeTestTools.contents([key: [UInt8](repeating: 0x41, count: (1 << 20) - key.utf8.count + extra)])
        let template = try SecretTemplate.parse("apiVersion: v1\nkind: Secret\nmetadata: {name: big}\ndata: {BIG: \"\"}\n", path: "t.yaml")
        if fits {
            #expect(try SecretRenderer.fill(template, from: contents)[0].apiSize == 1 << 20)
        } else {
            let error = try #require(throws: SecretctlError.self) { try SecretRenderer.fill(template, from: contents) }
            #expect(error.message.contains("over 1 MiB"))
        }
    }

    @Test func renderAllPutsEveryEntryInOneSecret() throws {
        let secret = try SecretRenderer.everything(KubeTestTools.contents(["B": [2], "A": [1]]), name: "all-of-it", namespace: "ns")
        #expect(secret.manifest.name == "all-of-it" && secret.manifest.namespace == "ns" && secret.manifest.type == "Opaque")
        #expect(secret.values.map(\.key) == ["A", "B"])
        #expect(throws: SecretctlError.self) { try SecretRenderer.everything(KubeTestTools.contents([:]), name: "Bad_Name", namespace: nil) }
        #expect(throws: SecretctlError.self) { try SecretRenderer.everything(KubeTestTools.contents([:]), name: "ok", namespace: "a.b") }
    }

    @Test(arguments: ManifestFormat.allCases)
    func outputIsTheSameBytesEveryTime(format: ManifestFormat) throws {
        let first = ManifestWriter.write(try SecretRenderer.fill(try Self.appTemplate(), from: KubeTestTools.contents(Self.appValues)), as: format)
        let second = ManifestWriter.write(try SecretRenderer.fill(try Self.appTemplate(), from: KubeTestTools.contents(Self.appValues)), as: format)
        #expect(first.constantTimeEquals(second))
    }

    // MARK: - Against kubectl and the schemas

    /// Values that trip up naive encoders: empty, binary, line breaks, quotes,
    /// non-ASCII, base64 that reads as a YAML number or boolean, and a 100 KiB
    /// line (kubectl's --from-env-file silently stops at 64 KiB).
    static let trickyValues: [String: [UInt8]] = [
        "EMPTY": [],
        "BINARY": Array(0...255),
        "MULTILINE": Array("-----BEGIN KEY-----\nabc\n-----END KEY-----\n".utf8),
        "QUOTES": Array("a\"b'c\\d: #e".utf8),
        "UNICODE": Array("päss—wörd ✓".utf8),
        "NUMBERISH": Array([0xD7, 0x6D, 0xF8]),  // base64 "1234"
        "BOOLISH": Array([0xB6, 0xBB, 0x9E]),  // base64 "true"
        "LONG_LINE": [UInt8](repeating: UInt8(ascii: "x"), count: 100 * 1024),
        "dotted.key-name_1": Array("v".utf8),
    ]

    /// The `data` map equals what `kubectl create secret generic --from-file`
    /// makes of the same bytes, in both output formats.
    @Test(arguments: ManifestFormat.allCases)
    func dataEqualsKubectlCreateSecret(format: ManifestFormat) throws {
        let kubectl = try #require(KubeTestTools.tool("kubectl"), "kubectl is not installed")
        let folder = try KubeTestTools.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var arguments = ["create", "secret", "generic", "tricky", "--dry-run=client", "-o", "json"]
        for (key, bytes) in Self.trickyValues {
            try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(key)"))
            arguments.append("--from-file=\(key)=\(folder)/\(key)")
        }
        let created = try KubeTestTools.run(kubectl, arguments)
        try #require(created.status == 0, "kubectl failed: \(created.stderr)")
        let kubectlObject = try #require(try JSONSerialization.jsonObject(with: created.stdout) as? [String: Any], "kubectl printed no object")
        let expected = try #require(kubectlObject["data"] as? [String: String], "kubectl's output has no data")

        let keys = Self.trickyValues.keys.map { "\($0): \"\"" }.joined(separator: ", ")
        let template = try SecretTemplate.parse("apiVersion: v1\nkind: Secret\nmetadata: {name: tricky}\ndata: {\(keys)}\n", path: "t.yaml")
        let manifest = ManifestWriter.write(try SecretRenderer.fill(template, from: KubeTestTools.contents(Self.trickyValues)), as: format)
        let bytes = manifest.withUnsafeBytes { Array($0) }
        let object: Any = switch format {
        case .json: try JSONSerialization.jsonObject(with: Data(bytes))
        case .yaml: try #require(try KubeTestTools.parseYAML(bytes).first, "no YAML document")
        }
        let data = try #require((object as? [String: Any])?["data"] as? [String: String], "rendered output has no data")
        #expect(data == expected)
        #expect(try KubeTestTools.validationProblem(bytes, suffix: format == .json ? ".json" : ".yaml") == nil)
    }

    @Test(arguments: ManifestFormat.allCases)
    func renderedAppSecretPassesTheSchemas(format: ManifestFormat) throws {
        var values = Self.appValues
        values["BETTER_AUTH_SECRETS"] = Array("2:new,1:old".utf8)
        let manifest = ManifestWriter.write(try SecretRenderer.fill(try Self.appTemplate(), from: KubeTestTools.contents(values)), as: format)
        let problem = try KubeTestTools.validationProblem(manifest.withUnsafeBytes { Array($0) }, suffix: format == .json ? ".json" : ".yaml")
        #expect(problem == nil, "\(problem ?? "")")
    }

    /// Several Secrets: YAML documents, or a v1 List in JSON; both pass the schemas.
    @Test(arguments: ManifestFormat.allCases)
    func severalSecretsStayValid(format: ManifestFormat) throws {
        let template = try SecretTemplate.parse("""
            apiVersion: v1
            kind: Secret
            metadata: {name: one, labels: {"on": "yes"}}
            data: {A: ""}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: two, annotations: {"x/y": "line\\nbreak"}}
            immutable: false
            stringData: {B: ""}
            """, path: "t.yaml")
        let manifest = ManifestWriter.write(try SecretRenderer.fill(template, from: KubeTestTools.contents(["A": [1], "B": [2]])), as: format)
        let bytes = manifest.withUnsafeBytes { Array($0) }
        let problem = try KubeTestTools.validationProblem(bytes, suffix: format == .json ? ".json" : ".yaml")
        #expect(problem == nil, "\(problem ?? "")")
        let documents: [Any] = switch format {
        case .yaml: try KubeTestTools.parseYAML(bytes)
        case .json: try #require((try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])?["items"] as? [Any], "no items")
        }
        let first = try #require(documents.first as? [String: Any], "no first document")
        let labels = (first["metadata"] as? [String: Any])?["labels"] as? [String: Any]
        #expect(labels?["on"] as? String == "yes", "YAML 1.1 booleans stay strings")
        let second = try #require(documents.last as? [String: Any], "no second document")
        #expect((second["metadata"] as? [String: Any])?["annotations"] as? [String: String] == ["x/y": "line\nbreak"])
        #expect(second["immutable"] as? Bool == false)
    }
}
