import SecretctlCore
import SecretctlCrypto
import Testing

/// Reading `kubectl get secret -o json` and comparing it with a rendering.
struct KubeLiveSecretTests {
    static func parse(_ json: String) throws(SecretctlError) -> LiveSecret {
        try LiveSecret.parse(SecureBytes(copying: Array(json.utf8)))
    }

    static let live = """
        {
            "apiVersion": "v1",
            "data": {
                "DATABASE_URL": "cG9zdGdyZXM6Ly94",
                "ESCAPED": "a0\\/\\u002bYw==",
                "OLD_KEY": "",
                "SLASHED": "Pz8\\/Pg=="
            },
            "kind": "Secret",
            "metadata": {
                "annotations": {
                    "kubectl.kubernetes.io/last-applied-configuration": "{\\"data\\":{\\"DATABASE_URL\\":\\"cG9zdGdyZXM6Ly94\\"}}\\n"
                },
                "creationTimestamp": "2026-01-08T10:00:00Z",
                "name": "todo-secrets",
                "namespace": "todo-app",
                "resourceVersion": "12",
                "managedFields": [{"manager": "kubectl-client-side-apply", "fieldsV1": {"f:data": {}}}]
            },
            "type": "Opaque"
        }
        """

    @Test func readsNamesDecodedValuesAndTheAnnotation() throws {
        let secret = try Self.parse(Self.live)
        #expect(secret.name == "todo-secrets")
        #expect(secret.namespace == "todo-app")
        #expect(secret.hasLastAppliedConfiguration)
        #expect(secret.data.keys.sorted() == ["DATABASE_URL", "ESCAPED", "OLD_KEY", "SLASHED"])
        #expect(secret.data["DATABASE_URL"]?.equals(KubeTestTools.value("postgres://x")) == true)
        #expect(secret.data["ESCAPED"]?.equals(KubeTestTools.value([0x6B, 0x4F, 0xFE, 0x63])) == true)
        #expect(secret.data["SLASHED"]?.equals(KubeTestTools.value("???>")) == true)
        #expect(secret.data["OLD_KEY"]?.isEmpty == true)
    }

    @Test func aSecretWithoutDataHasNoKeys() throws {
        let secret = try Self.parse(#"{"kind": "Secret", "metadata": {"name": "empty"}, "data": null}"#)
        #expect(secret.data.isEmpty && !secret.hasLastAppliedConfiguration)
    }

    @Test(arguments: [
        (#"{"kind": "ConfigMap", "metadata": {"name": "x"}}"#, "kind is not Secret"),
        (#"{"kind": "Secret", "metadata": {}}"#, "no metadata.name"),
        (#"{"kind": "Secret", "metadata": {"name": "x"}, "data": {"A": "c2VjcmV0!"}}"#, "data.A is not base64"),
        (#"{"kind": "Secret", "metadata": {"name": "x"}, "data": {"A": 5}}"#, "data.A is not a string"),
        (#"{"kind": "Secret", "metadata": {"name": "x"}, "data": {"A": "c2VjcmV0"}"#, "invalid JSON"),
        (#"{"kind": "Secret"} trailing"#, "invalid JSON"),
    ])
    func malformedOutputIsRefusedWithoutQuotingIt(json: String, fragment: String) throws {
        let error = try #require(throws: SecretctlError.self) { try Self.parse(json) }
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect(!error.message.contains("c2VjcmV0"))
    }

    @Test func comparisonSortsKeysByStateAndCountsTheAnnotation() throws {
        let live = try Self.parse(Self.live)
        let manifest = SecretManifest(name: "todo-secrets", namespace: "todo-app", keys: ["DATABASE_URL", "ESCAPED", "NEW_KEY"])
        let rendered = RenderedSecret(manifest: manifest, values: [
            ("DATABASE_URL", KubeTestTools.value("postgres://x")),
            ("ESCAPED", KubeTestTools.value("changed")),
            ("NEW_KEY", KubeTestTools.value("n")),
        ])
        let comparison = SecretComparison(rendered, live: live)
        #expect(comparison.onlyInVault == ["NEW_KEY"])
        #expect(comparison.onlyInCluster == ["OLD_KEY", "SLASHED"])
        #expect(comparison.changed == ["ESCAPED"])
        #expect(comparison.unchanged == ["DATABASE_URL"])
        #expect(comparison.hasLastAppliedConfiguration)
        #expect(!comparison.isEqual)
    }

    @Test func equalOnlyWhenApplyWouldChangeNothing() throws {
        let manifest = SecretManifest(name: "s", keys: ["A"])
        let rendered = RenderedSecret(manifest: manifest, values: [("A", KubeTestTools.value("v"))])
        let same = LiveSecret(name: "s", data: ["A": KubeTestTools.value("v")])
        #expect(SecretComparison(rendered, live: same).isEqual)
        #expect(!SecretComparison(rendered, live: nil).isEqual)
        var leaking = same
        leaking.annotationKeys = [LiveSecret.lastAppliedAnnotation]
        #expect(!SecretComparison(rendered, live: leaking).isEqual)
    }
}

/// Scrubbing kubectl's error text of the values secretctl sent it.
struct KubeRedactionTests {
    @Test(arguments: [
        ("error: data.A: \"c2VjcmV0LXZhbHVl\" rejected", "error: data.A: \"<redacted>\" rejected"),
        ("echo secret-value and secret-value", "echo <redacted> and <redacted>"),
        ("nothing to hide", "nothing to hide"),
        ("abc is short", "abc is short"),
    ])
    func redactsValuesAndTheirBase64(text: String, expected: String) {
        let values = [KubeTestTools.value("secret-value"), KubeTestTools.value("abc")]
        #expect(Kubectl.redact(text, values: values) == expected)
    }
}
