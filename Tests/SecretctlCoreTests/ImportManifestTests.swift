import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// `SecretManifestReader` through `ImportReader`: Kubernetes Secret manifests in, checked values out.
struct ImportManifestTests {
    static let marker = "hunter2-s3cr3t"

    private func read(_ text: String, allowEmpty: Bool = false) throws(SecretctlError) -> ImportReader.Result {
        try ImportReader.read(SecureBytes(copying: Array(text.utf8)), source: "secret.yaml", format: nil, allowEmpty: allowEmpty)
    }

    private func values(_ result: ImportReader.Result) -> [String: String] {
        Dictionary(uniqueKeysWithValues: result.entries.map { ($0.name, $0.value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }) })
    }

    private func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> SecretctlError? {
        do {
            let result = try read(text)
            Issue.record("expected a refusal, read \(result.entries.map(\.name))", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.code == .usage, "a bad import file exits 64", sourceLocation: sourceLocation)
            #expect(!"\(error.message) \(error.hint ?? "")".contains(Self.marker), "the error shows a value: \(error)", sourceLocation: sourceLocation)
            return error
        }
    }

    @Test func dataIsDecodedAndStringDataTaken() throws {
        let result = try read("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: todo-secrets
              namespace: todo-app
            type: Opaque
            data:
              DATABASE_URL: \(Data("postgres://u:p@h/db".utf8).base64EncodedString())
              BINARY: \(Data([0x00, 0xFF, 0x0A]).base64EncodedString())
            stringData:
              MULTI: |
                line one
                line two
              OPENAI_API_KEY: "sk-test-123"
            """)
        #expect(result.format == .secret)
        #expect(values(result)["DATABASE_URL"] == "postgres://u:p@h/db")
        #expect(values(result)["OPENAI_API_KEY"] == "sk-test-123")
        #expect(values(result)["MULTI"] == "line one\nline two\n")
        let binary = try #require(result.entries.first { $0.name == "BINARY" }, "BINARY was read")
        #expect(binary.value.withUnsafeBytes { Array($0) } == [0x00, 0xFF, 0x0A])
        #expect(result.entries.first { $0.name == "OPENAI_API_KEY" }?.origin == "Secret todo-secrets, stringData.OPENAI_API_KEY")
    }

    @Test func stringDataWinsOverDataForTheSameKeyAsOnTheAPIServer() throws {
        let result = try read("""
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            data: {TOKEN: \(Data("old".utf8).base64EncodedString())}
            stringData: {TOKEN: new}
            """)
        #expect(values(result) == ["TOKEN": "new"])
    }

    @Test func severalDocumentsOtherKindsSkipped() throws {
        let result = try read("""
            # the whole app
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: todo-app}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: backend}
            stringData: {A: "1"}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: frontend}
            stringData: {B: "2"}
            """)
        #expect(values(result) == ["A": "1", "B": "2"])
        #expect(result.skippedKinds == ["Namespace", "Deployment"])
    }

    @Test func aListAsKubectlGetPrintsIt() throws {
        let result = try read("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Secret
              metadata: {name: one}
              data: {A: \(Data("a".utf8).base64EncodedString())}
            - apiVersion: v1
              kind: Secret
              metadata: {name: two}
              data: {B: \(Data("b".utf8).base64EncodedString())}
            """)
        #expect(values(result) == ["A": "a", "B": "b"])
    }

    @Test func jsonManifest() throws {
        let result = try read(#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"A":"\#(Data("json".utf8).base64EncodedString())"}}"#)
        #expect(result.format == .secret)
        #expect(values(result) == ["A": "json"])
    }

    @Test func nullAndEmptyValuesAreEmptyAndNeedAllowEmpty() throws {
        let text = "kind: Secret\nmetadata: {name: s}\nstringData:\n  A:\n  B: \"\"\ndata:\n  C: null\n"
        let error = try #require(refusal(text), "refused")
        #expect(error.message.contains("empty values"))
        #expect(["A", "B", "C"].allSatisfy { error.message.contains($0) }, "every empty value is named: \(error.message)")
        #expect(values(try read(text, allowEmpty: true)) == ["A": "", "B": "", "C": ""])
    }

    /// What `kubectl create secret generic --dry-run=client -o yaml` prints is read back exactly.
    @Test func readsWhatKubectlCreatesExactly() throws {
        let folder = NSTemporaryDirectory() + "/secretctl-kubectl-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files: [String: [UInt8]] = [
            "DATABASE_URL": Array("postgres://user:p@ss@host:5432/db?sslmode=require".utf8),
            "MULTI_LINE": Array("a\nb\r\n\"quoted\" 'x' $y #z\n".utf8),
            "tls.key": [0x00, 0x01, 0xFE, 0xFF] + Array(repeating: 0x41, count: 300),
        ]
        var arguments = ["create", "secret", "generic", "todo", "--dry-run=client", "-o", "yaml"]
        for (name, bytes) in files {
            try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
            arguments.append("--from-file=\(name)=\(folder)/\(name)")
        }
        let capture = "\(folder)/out.yaml"
        _ = FileManager.default.createFile(atPath: capture, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: capture))
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "kubectl create secret failed")
        let yaml = try #require(FileManager.default.contents(atPath: capture), "kubectl wrote nothing")

        let result = try ImportReader.read(SecureBytes(copying: Array(yaml)), source: "kubectl", format: nil, allowEmpty: false)
        let read = Dictionary(uniqueKeysWithValues: result.entries.map { ($0.name, $0.value.withUnsafeBytes { Array($0) }) })
        #expect(read == files)
    }

    // MARK: - Refusals

    @Test(arguments: [
        "\(marker.prefix(7))",      // not a multiple of 4
        "aGVsbG8",                   // padding missing
        "aGVsbG9=",                  // non-zero bits under the padding
        "aGVs bG8=",                 // a blank inside
        "aGVsbG8=aGVsbG8=",          // padding in the middle
        "aGVs_G8=",                  // base64url alphabet
    ])
    func dataThatIsNotCanonicalBase64IsRefused(_ encoded: String) throws {
        let error = try #require(refusal("kind: Secret\nmetadata: {name: s}\ndata:\n  TOKEN: \"\(encoded)\"\n"), "refused")
        #expect(error.message.contains("data.TOKEN"))
        #expect(error.message.contains("base64"))
        #expect(!error.message.contains(encoded), "the encoded value is not repeated")
    }

    @Test(arguments: [
        ("PORT: 5432", "int"),
        ("ENABLED: true", "bool"),
        ("RATIO: 0.5", "float"),
        ("LIST: [a, b]", "not a string"),
        ("FLAG: yes", "bool"),         // YAML 1.1, as Kubernetes reads it
        ("SHORT: n", "bool"),
        ("HEX: 0x1F", "int"),
        ("OCTAL: 0o17", "int"),
        ("BIG: .inf", "float"),
        ("DAY: 2024-01-31", "timestamp"),
        ("TAGGED: !!int \"5\"", "int"),
        ("MAP: {a: b}", "not a string"),
    ])
    func stringDataValuesMustBeStrings(_ line: String, _ fragment: String) throws {
        let error = try #require(refusal("kind: Secret\nmetadata: {name: s}\nstringData:\n  \(line)\n"), "refused")
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    @Test("quoted, block or !!str-tagged values are strings whatever they look like", arguments: [
        ("PORT: \"5432\"", "5432"), ("FLAG: 'yes'", "yes"), ("TAGGED: !!str 0x1F", "0x1F"), ("TEXT: |-\n    true", "true"),
        ("URL: postgres://u:p@h:5432/db", "postgres://u:p@h:5432/db"), ("VERSION: 1.2.3", "1.2.3"),
    ])
    func stringsThatLookLikeOtherTypes(_ line: String, _ expected: String) throws {
        let result = try read("kind: Secret\nmetadata: {name: s}\nstringData:\n  \(line)\n")
        #expect(result.entries.map { $0.value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } } == [expected])
    }

    @Test func theSameKeyInTwoSecretsIsRefused() throws {
        let error = try #require(refusal("""
            kind: Secret
            metadata: {name: one}
            stringData: {TOKEN: "\(Self.marker)"}
            ---
            kind: Secret
            metadata: {name: two}
            stringData: {TOKEN: "\(Self.marker)x"}
            """), "refused")
        #expect(error.message.contains("TOKEN is in two Secrets"))
        #expect(error.message.contains("Secret one") && error.message.contains("Secret two"))
    }

    @Test func aKeyThatIsNotASecretKeyIsRefused() throws {
        let error = try #require(refusal("kind: Secret\nmetadata: {name: s}\nstringData:\n  \"bad key\": \"\(Self.marker)\"\n"), "refused")
        #expect(error.message.contains("not a valid Kubernetes Secret key"))
    }

    @Test func aManifestWithoutASecretIsRefused() throws {
        let error = try #require(refusal("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {A: \"\(Self.marker)\"}\n"), "refused")
        #expect(error.message.contains("no kind: Secret"))
    }

    @Test(arguments: [
        "kind: Secret\nstringData:\n  A: \"\(marker)\n",           // unclosed quote
        "kind: Secret\nstringData:\n  A: \(marker)\n  A: \(marker)\n", // duplicate key
        "kind: Secret\nstringData:\n  A: [\(marker)\n",             // unclosed flow sequence
        "kind: Secret\n\tstringData: \(marker)\n",                   // tab indentation
    ])
    func invalidYAMLIsRefusedWithoutShowingIt(_ text: String) throws {
        let error = try #require(refusal(text), "refused")
        #expect(error.message.contains("not valid YAML"))
        #expect(error.message.contains("line"), "the position is given: \(error.message)")
    }

    @Test func aValueOverOneMebibyteIsRefused() throws {
        let big = Data(repeating: 0x61, count: (1 << 20) + 1).base64EncodedString()
        let error = try #require(refusal("kind: Secret\nmetadata: {name: s}\ndata:\n  BIG: \(big)\n"), "refused")
        #expect(error.message.contains("BIG"))
        #expect(error.message.contains("1 MiB"))
    }

    @Test func textThatIsNotUTF8IsRefused() throws {
        do {
            _ = try ImportReader.read(SecureBytes(copying: Array("kind: Secret\nstringData: {A: \"".utf8) + [0xFF, 0x22, 0x7D]),
                source: "s.yaml", format: .secret, allowEmpty: false)
            Issue.record("accepted text that is not UTF-8")
        } catch {
            #expect(error.code == .usage)
            #expect(error.message.contains("UTF-8"))
        }
    }
}
