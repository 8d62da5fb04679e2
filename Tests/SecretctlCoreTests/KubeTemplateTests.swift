import SecretctlCore
import Testing

/// Reading Secret templates such as k8s/secret.yaml: what is kept, what is refused.
struct KubeTemplateTests {
    @Test func theAppTemplateListsItsKeysWithoutValues() throws {
        let template = try SecretTemplate.load(KubeTestTools.k8s + "/secret.yaml")
        let secret = try #require(template.secrets.first, "k8s/secret.yaml has no Secret")
        #expect(template.secrets.count == 1)
        #expect(secret.name == "todo-secrets")
        #expect(secret.namespace == "todo-app")
        #expect(secret.type == "Opaque")
        #expect(secret.keys == ["BETTER_AUTH_SECRET", "BETTER_AUTH_SECRETS", "DATABASE_URL", "OPENAI_API_KEY"])
        #expect(secret.optionalKeys == ["BETTER_AUTH_SECRETS"])
        #expect(secret.labels["app.kubernetes.io/part-of"] == "todo-app")
    }

    @Test func keepsMetadataTypeAndImmutableAndMergesStringData() throws {
        let template = try SecretTemplate.parse("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: tls-secret
              namespace: web
              labels: {tier: "1001", app: web}
              annotations:
                note: "kept: as is"
            type: kubernetes.io/tls
            immutable: true
            data:
              tls.crt: ""
            stringData:
              tls.key:
            """, path: "t.yaml")
        let secret = try #require(template.secrets.first, "no Secret parsed")
        #expect(secret == SecretManifest(
            name: "tls-secret", namespace: "web", labels: ["tier": "1001", "app": "web"], annotations: ["note": "kept: as is"],
            type: "kubernetes.io/tls", immutable: true, keys: ["tls.crt", "tls.key"], emptyValueKeys: ["tls.crt", "tls.key"]))
    }

    @Test func otherKindsAreLeftOutAndNamed() throws {
        let template = try SecretTemplate.parse("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {A: b}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: one}
            data: {A: ""}
            ---
            """, path: "t.yaml")
        #expect(template.secrets.map(\.name) == ["one"])
        #expect(template.skipped == ["ConfigMap/settings"])
    }

    /// A template that holds a value may have leaked it through git: refused, and
    /// the message says to rotate without repeating the value.
    @Test(arguments: ["data", "stringData"])
    func aValueInTheTemplateIsRefusedWithoutBeingQuoted(field: String) throws {
        let value = "c2stcHJvai1sZWFrZWQ="
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n\(field):\n  OPENAI_API_KEY: \(value)\n"
        let error = try #require(throws: SecretctlError.self) { try SecretTemplate.parse(text, path: "k8s/secret.yaml") }
        #expect(error.message.contains("\(field).OPENAI_API_KEY holds a value"))
        #expect(error.message.contains("committed"))
        #expect(error.hint?.contains("rotate OPENAI_API_KEY") == true)
        #expect(!error.message.contains(value) && !(error.hint ?? "").contains(value))
    }

    @Test(arguments: [
        ("data: {\"BAD KEY\": \"\"}", "not a valid Kubernetes Secret key"),
        ("data: {\"a/b\": \"\"}", "not a valid Kubernetes Secret key"),
        ("data: {A: \"\"}\nstringData: {A: \"\"}", "listed twice"),
        ("data: [A]", "data must be a mapping"),
        ("data: {A: \"\"}\nspec: {}", "the field 'spec'"),
        ("data: {A: {nested: x}}", "holds a value"),
        ("immutable: maybe\ndata: {A: \"\"}", "immutable must be true or false"),
    ])
    func malformedSecretsAreRefused(body: String, fragment: String) throws {
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n\(body)\n"
        let error = try #require(throws: SecretctlError.self) { try SecretTemplate.parse(text, path: "t.yaml") }
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect(error.code == .failure)
    }

    @Test(arguments: [
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "no document of kind Secret"),
        ("apiVersion: v2\nkind: Secret\nmetadata: {name: s}\n", "apiVersion: v1"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {namespace: x}\n", "no metadata.name"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: Not_Valid}\n", "not a valid Secret name"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s, generateName: x}\n", "metadata.generateName"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n", "twice"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s, annotations: {secretctl/optional-keys: B}}\ndata: {A: \"\"}\n", "names B"),
        // Kubernetes's label and annotation rules; a fuzzed 1,200-character label key once made
        // render write a quoted key longer than YAML's 1,024-character limit for implicit keys.
        // (an explicit `? key` is how YAML writes a key over 1,024 characters)
        ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  labels:\n    ? \"\(String(repeating: "k", count: 1200))\"\n    : x\n", "not a valid label key"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s, labels: {\"a\\tb\": x}}\n", "not a valid label key"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s, labels: {Bad_Prefix/app: x}}\n", "not a valid label key"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s, labels: {a/b/c: x}}\n", "not a valid label key"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s, labels: {app: \"\(String(repeating: "v", count: 64))\"}}\n", "not a valid label value"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s, labels: {app: \"-web\"}}\n", "not a valid label value"),
        ("apiVersion: v1\nkind: Secret\nmetadata: {name: s, annotations: {\"has space\": x}}\n", "not a valid annotation key"),
    ])
    func malformedTemplatesAreRefused(text: String, fragment: String) throws {
        let error = try #require(throws: SecretctlError.self) { try SecretTemplate.parse(text, path: "t.yaml") }
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    /// A YAML parser's messages can quote the offending line, which could hold a value.
    @Test(arguments: [
        ["app.kubernetes.io/part-of": "todo-app", "tier": "", "v": "1.2_3-x"],
        ["example.com/Team": "Web", String(repeating: "k", count: 63): String(repeating: "v", count: 63)],
    ])
    func validLabelsAreKept(labels: [String: String]) throws {
        let flow = labels.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ")
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, labels: {\(flow)}, annotations: {\(flow)}}\n"
        let secret = try #require(try SecretTemplate.parse(text, path: "t.yaml").secrets.first, "no Secret parsed")
        #expect(secret.labels == labels)
        #expect(secret.annotations == labels)
    }

    @Test func yamlSyntaxErrorsNameTheLineButDoNotQuoteIt() throws {
        let text = "apiVersion: v1\nkind: Secret\ndata:\n  A: \"sk-live-secret\n"
        let error = try #require(throws: SecretctlError.self) { try SecretTemplate.parse(text, path: "t.yaml") }
        #expect(error.message.hasPrefix("cannot parse t.yaml: line "))
        #expect(!error.message.contains("sk-live-secret"))
    }

    @Test func aMissingTemplateIsMissingInput() throws {
        let error = try #require(throws: SecretctlError.self) { try SecretTemplate.load("/nonexistent/secret.yaml") }
        #expect(error.code == .noInput)
        #expect(error.hint?.contains("--all") == true)
    }
}
