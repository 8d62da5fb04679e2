import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// Manifest streams (`render -f FILE|DIR|-`): Secrets with references filled, the rest byte
/// for byte, every problem refused before anything is written.
struct KubeStreamTests {
    static let values: [String: [UInt8]] = [
        "DATABASE_URL": Array("postgresql://todo:pw@ep-1.neon.tech/todo".utf8),
        "OPENAI_API_KEY": Array("sk-proj-stream-0123456789".utf8),
    ]

    static func stream(stdin: String) throws(SecretctlError) -> ManifestStream {
        try ManifestStream.read([.standardInput], workingDirectory: { $0 }) { () throws(SecretctlError) in
            SecureBytes(copying: Array(stdin.utf8))
        }
    }

    static func render(stdin: String, values: [String: [UInt8]] = values, namespace: String? = nil) throws -> String {
        KubeTestTools.string(try stream(stdin: stdin).render(KubeTestTools.contents(values), namespace: namespace).write())
    }

    /// What `helm template` prints: comments, several kinds, a chart's own Secret with a value.
    static let helmLike = """
        ---
        # Source: todo/templates/configmap.yaml
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: todo-config   # odd spacing and comments must survive
        data:
          MODEL:    "gpt-4o-mini"
        ---
        # Source: todo/templates/chart-secret.yaml
        apiVersion: v1
        kind: Secret
        metadata:
          name: chart-owned
        data:
          token: Y2hhcnQtdmFsdWU=
        ---
        # Source: todo/templates/secret.yaml
        apiVersion: v1
        kind: Secret
        metadata:
          name: todo-secrets
        data:
          DATABASE_URL: secretctl:DATABASE_URL
          OPENAI_API_KEY: c2VjcmV0Y3RsOk9QRU5BSV9BUElfS0VZ
        --- # trailing separator comment
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "web:1"}]}

        """

    @Test func fillsSecretsWithReferencesAndPassesEverythingElseThroughByteForByte() throws {
        let output = try Self.render(stdin: Self.helmLike)
        let pieces = output.components(separatedBy: "---\n")
        #expect(pieces.count == 4, "\(output)")
        #expect(pieces[0] == """
            # Source: todo/templates/configmap.yaml
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: todo-config   # odd spacing and comments must survive
            data:
              MODEL:    "gpt-4o-mini"

            """)
        #expect(pieces[1].contains("token: Y2hhcnQtdmFsdWU="), "a chart's own Secret must pass untouched")
        #expect(pieces[1].hasPrefix("# Source: todo/templates/chart-secret.yaml\n"))
        let filled = try #require(try KubeTestTools.parseYAML(Array(pieces[2].utf8)).first as? [String: Any])
        let data = try #require(filled["data"] as? [String: String])
        #expect(data["DATABASE_URL"] == Data(Self.values["DATABASE_URL"]!).base64EncodedString())
        #expect(data["OPENAI_API_KEY"] == Data(Self.values["OPENAI_API_KEY"]!).base64EncodedString(), "a base64-encoded reference is filled")
        #expect(pieces[3].hasPrefix("apiVersion: apps/v1\nkind: Deployment\n"))
    }

    @Test func everyMissingEntryIsNamedAndNothingIsRendered() throws {
        let text = Self.helmLike + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: more}\ndata: {A: secretctl:ZETA, B: secretctl:ALPHA}\n"
        #expect(throws: SecretctlError.self) { try Self.render(stdin: text, values: [:]) }
        do {
            _ = try Self.render(stdin: text, values: [:])
        } catch let error as SecretctlError {
            #expect(error.message.contains("ALPHA, DATABASE_URL, OPENAI_API_KEY, ZETA"), "\(error.message)")
        }
    }

    @Test(arguments: [
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {URL: secretctl:DATABASE_URL}\n",
         "only a Secret's data may refer to the vault"),
        ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: {spec: {containers: [{name: c, env: [{name: X, value: 'secretctl:DATABASE_URL'}]}]}}}\n",
         "only a Secret's data may refer to the vault"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {URL: secretctl:DATABASE_URL}\n", "Under stringData"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {URL: secretctl:DATABASE_URL}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {U: secretctl:OPENAI_API_KEY}\n",
         "is in stdin (document 1) and again in stdin (document 2)"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {URL: secretctl:bad name}\n", "malformed reference"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: [unclosed\n", "cannot parse stdin (document 1)"),
        ("- a list\n", "stdin (document 1) is not a mapping"),
    ])
    func refusesWithThePlaceAndNothingElse(text: String, fragment: String) throws {
        #expect(throws: SecretctlError.self) { try Self.render(stdin: text) }
        do {
            _ = try Self.render(stdin: text)
        } catch let error as SecretctlError {
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func aFolderIsReadInKubectlsOrderAndItsSecretsMustNotHoldValues() throws {
        let folder = try KubeTestTools.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = [
            "b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
            "a.yml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
            "c.json": #"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}"#,
            "notes.txt": "not a manifest\n",
            "s.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {DATABASE_URL: \"\"}\n",
        ]
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }
        let stream = try ManifestStream.read([.path(folder)], workingDirectory: { $0 }) { () throws(SecretctlError) in SecureBytes() }
        #expect(stream.documents.map { $0.name ?? "" } == ["a", "b", "c", "s"])
        #expect(stream.documents.last?.secret != nil, "an old-style template in a file is filled")

        try Data("apiVersion: v1\nkind: Secret\nmetadata: {name: t}\ndata: {K: dmFsdWU=}\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/t.yaml"))
        #expect(throws: SecretctlError.self, "a file's Secret with a value is refused") {
            try ManifestStream.read([.path(folder)], workingDirectory: { $0 }) { () throws(SecretctlError) in SecureBytes() }
        }
    }

    @Test func namespacesComeFirstWhenApplying() throws {
        let stream = try Self.stream(stdin: """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c, namespace: n}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: n}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: s, namespace: n}

            """)
        #expect(ApplyOrder.indices(stream.documents).map { stream.documents[$0].name ?? "" } == ["n", "c", "s"])
    }

    @Test func aStreamOverTheLimitIsRefused() throws {
        let big = SecureBytes(count: ManifestStream.sizeLimit + 1) { $0.initializeMemory(as: UInt8.self, repeating: UInt8(ascii: "#")) }
        #expect(throws: SecretctlError.self) {
            try ManifestStream.read([.standardInput], workingDirectory: { $0 }) { () throws(SecretctlError) in big }
        }
    }

    /// Every rendered stream is valid for Kubernetes 1.32's schemas.
    @Test func theRenderedStreamPassesKubernetesValidate() throws {
        let output = try Self.render(stdin: Self.helmLike)
        #expect(try KubeTestTools.validationProblem(Array(output.utf8)) == nil)
    }
}
