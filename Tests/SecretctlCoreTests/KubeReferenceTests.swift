import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// References to vault entries in templates: `secretctl:ENTRY`, `secretctl:ENTRY?`.
struct KubeReferenceTests {
    @Test(arguments: [
        ("secretctl:DATABASE_URL", SecretReference(entry: "DATABASE_URL")),
        ("secretctl:BETTER_AUTH_SECRETS?", SecretReference(entry: "BETTER_AUTH_SECRETS", isOptional: true)),
        ("secretctl:a.b-c_9", SecretReference(entry: "a.b-c_9")),
    ])
    func parsesAReference(text: String, expected: SecretReference) throws {
        #expect(try SecretReference.parse(text) == expected)
        #expect(expected.text == text)
    }

    @Test(arguments: ["secretctl:", "secretctl:?", "secretctl:has space", "secretctl:a/b", "secretctl:..", "secretctl:x??"])
    func refusesAMalformedReferenceWithoutRepeatingIt(text: String) {
        #expect(throws: SecretctlError.self) { try SecretReference.parse(text) }
        do {
            _ = try SecretReference.parse(text)
        } catch {
            #expect(!error.message.contains(text), "the message repeats the reference: \(error.message)")
        }
    }

    @Test(arguments: ["", "plain", "c2VjcmV0", "op://vault/item"])
    func otherTextIsNotAReference(text: String) throws {
        #expect(try SecretReference.parse(text) == nil)
    }

    /// The property the design rests on: the API server refuses a reference as a `data` value.
    @Test(arguments: ["secretctl:A", "secretctl:AB", "secretctl:ABC", "secretctl:ABCD", "secretctl:ABCD?", "secretctl:x.y", "secretctl:BETTER_AUTH_SECRET"])
    func aReferenceIsNeverValidBase64(text: String) {
        #expect(Base64.decode(text) == nil)
        #expect(Data(base64Encoded: text) == nil)
    }

    @Test func findsAReferenceInsideBase64() throws {
        let encoded = Data("secretctl:OPENAI_API_KEY".utf8).base64EncodedString()
        #expect(try SecretReference.parse(base64: encoded) == SecretReference(entry: "OPENAI_API_KEY"))
        #expect(try SecretReference.parse(base64: Data("an ordinary secret value".utf8).base64EncodedString()) == nil)
    }

    // MARK: - Templates

    static let template = """
        apiVersion: v1
        kind: Secret
        metadata: { name: app, namespace: todo }
        data:
          DATABASE_URL: secretctl:DATABASE_URL
          DB_URL_FOR_JOBS: secretctl:DATABASE_URL
          LEGACY: ""
          MAYBE: secretctl:NOT_YET?
        ---
        apiVersion: v1
        kind: Secret
        metadata: { name: worker, namespace: todo }
        data:
          URL: secretctl:DATABASE_URL

        """

    @Test func aKeyMayDifferFromItsEntryAndSecretsMayShareOne() throws {
        let template = try SecretTemplate.parse(Self.template, path: "t.yaml")
        let contents = KubeTestTools.contents(["DATABASE_URL": Array("postgres://one".utf8), "LEGACY": Array("old-style".utf8)])
        let secrets = try SecretRenderer.fill(template, from: contents)
        #expect(secrets.map(\.manifest.name) == ["app", "worker"])
        #expect(secrets[0].values.map(\.key) == ["DATABASE_URL", "DB_URL_FOR_JOBS", "LEGACY"], "MAYBE is optional and absent")
        #expect(secrets[0].value(for: "DB_URL_FOR_JOBS")?.equals(KubeTestTools.value("postgres://one")) == true)
        #expect(secrets[1].value(for: "URL")?.equals(KubeTestTools.value("postgres://one")) == true)
        #expect(secrets[0].manifest.emptyValueKeys == ["LEGACY"])
        #expect(secrets[0].manifest.keys(filledFrom: "DATABASE_URL") == ["DATABASE_URL", "DB_URL_FOR_JOBS"])
    }

    @Test func missingEntriesAreNamedByEntryNotByKey() throws {
        let template = try SecretTemplate.parse(Self.template, path: "t.yaml")
        #expect(throws: SecretctlError.self) { try SecretRenderer.fill(template, from: KubeTestTools.contents([:])) }
        do {
            _ = try SecretRenderer.fill(template, from: KubeTestTools.contents([:]))
        } catch {
            #expect(error.message.contains("DATABASE_URL, LEGACY"), "\(error.message)")
            #expect(!error.message.contains("DB_URL_FOR_JOBS") && !error.message.contains("NOT_YET"))
        }
    }

    @Test(arguments: [
        ("stringData:\n  K: secretctl:K\n", "Under stringData a raw 'kubectl apply'"),
        ("data:\n  K: c2VjcmV0LXZhbHVl\n", "holds a value"),
        ("data:\n  K: secretctl:not valid\n", "malformed reference"),
    ])
    func refusesWhatARawApplyWouldStoreAsAValue(body: String, fragment: String) {
        let text = "apiVersion: v1\nkind: Secret\nmetadata: { name: s }\n" + body
        #expect(throws: SecretctlError.self) { try SecretTemplate.parse(text, path: "t.yaml") }
        do {
            _ = try SecretTemplate.parse(text, path: "t.yaml")
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(!error.message.contains("c2VjcmV0LXZhbHVl") && !error.message.contains("not valid"))
        }
    }

    // MARK: - Converting a template

    @Test func convertsEmptyValuesAndTheOptionalKeysAnnotationKeepingComments() throws {
        let old = """
            # comment kept
            apiVersion: v1
            kind: Secret
            metadata:
              name: s
              annotations:
                secretctl/optional-keys: B
            data:
              A: ""   # kept too
              B: ''
              C: secretctl:C

            """
        let (text, result) = try TemplateConversion.convert(old, path: "t.yaml")
        #expect(result.converted == ["A", "B"])
        #expect(result.removedAnnotation)
        #expect(text == """
            # comment kept
            apiVersion: v1
            kind: Secret
            metadata:
              name: s
            data:
              A: secretctl:A   # kept too
              B: secretctl:B?
              C: secretctl:C

            """)
        let again = try TemplateConversion.convert(text, path: "t.yaml")
        #expect(again.text == text && again.result.converted.isEmpty, "converting twice changes nothing")
        let manifest = try #require(try SecretTemplate.parse(text, path: "t.yaml").secrets.first)
        #expect(manifest.optionalKeys == ["B"] && manifest.emptyValueKeys.isEmpty)
    }
}
