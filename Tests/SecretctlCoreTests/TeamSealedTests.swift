import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// SealedSecret output, unsealed by `team_sealed_decrypt.py` (Python `cryptography`, the
/// controller's documented scheme) with the private key of a 4096-bit certificate made here.
@Suite("Team: SealedSecret output (independent unsealing in Python)", .serialized)
struct TeamSealedTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("team_sealed_decrypt.py").path

    /// A throwaway controller key pair: `openssl req -x509 -newkey rsa:4096`.
    final class Controller: @unchecked Sendable {
        let folder: String
        var keyPath: String { folder + "/tls.key" }
        var certificatePath: String { folder + "/tls.crt" }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("secretctl-sealed-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let (status, _, stderr) = try TeamSealedTests.run("openssl", [
                "req", "-x509", "-newkey", "rsa:4096", "-nodes", "-keyout", folder + "/tls.key", "-out", folder + "/tls.crt",
                "-days", "1", "-subj", "/O=sealed-secret",
            ])
            try #require(status == 0, "openssl req failed: \(stderr)")
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }

    static let controller = Result { try Controller() }

    static func run(_ tool: String, _ arguments: [String]) throws -> (Int32, Data, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, String(decoding: stderr, as: UTF8.self))
    }

    struct Unsealed: Decodable {
        struct Template: Decodable {
            struct Metadata: Decodable {
                let name: String
                let namespace: String?
                let labels: [String: String]?
                let annotations: [String: String]?
            }
            let metadata: Metadata
            let type: String
        }
        let name: String
        let namespace: String?
        let scope: String
        let template: Template
        let values: [String: String]
    }

    static func value(_ text: String) -> SecretValue { SecretValue(SecureBytes(copying: Array(text.utf8))) }
    static func value(_ bytes: [UInt8]) -> SecretValue { SecretValue(SecureBytes(copying: bytes)) }
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static let secret = RenderedSecret(
        manifest: SecretManifest(name: "todo-secrets", namespace: "todo-app", labels: ["app": "todo"], annotations: ["note": "from secretctl"],
            type: "Opaque", keys: ["DATABASE_URL", "EMPTY", "tls.key"]),
        values: [("DATABASE_URL", value("postgres://todo:pw@db/todo")), ("EMPTY", value([])), ("tls.key", value(Array(0...255) + [0, 0x0A]))])

    static let expected: [String: String] = [
        "DATABASE_URL": hex(Array("postgres://todo:pw@db/todo".utf8)), "EMPTY": "", "tls.key": hex(Array(0...255) + [0, 0x0A]),
    ]

    /// Writes `secrets` sealed for the test controller and unseals them in Python.
    static func unseal(_ secrets: [RenderedSecret], scope: SealedSecretScope, labelOverride: String? = nil) throws -> (Int32, [Unsealed], String, String) {
        let controller = try Self.controller.get()
        let manifest = try SealedSecretWriter.write(secrets, certificate: try SealedSecretWriter.certificate(at: controller.certificatePath), scope: scope)
        let path = controller.folder + "/sealed-\(UUID().uuidString).yaml"
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: path))
        let (status, stdout, stderr) = try run("python3", [script, path, controller.keyPath] + (labelOverride.map { [$0] } ?? []))
        let unsealed = status == 0 ? try JSONDecoder().decode([Unsealed].self, from: stdout) : []
        return (status, unsealed, stderr, manifest)
    }

    @Test("every value unseals under its scope's label, and the template carries the Secret's metadata", arguments: SealedSecretScope.allCases)
    func unsealsPerScope(scope: SealedSecretScope) throws {
        let (status, unsealed, stderr, manifest) = try Self.unseal([Self.secret], scope: scope)
        try #require(status == 0, "python3 with cryptography and PyYAML must unseal the output: \(stderr)")
        let document = try #require(unsealed.first)
        #expect(unsealed.count == 1)
        #expect(document.scope == scope.rawValue)
        #expect(document.name == "todo-secrets" && document.namespace == "todo-app")
        #expect(document.values == Self.expected)
        #expect(document.template.metadata.name == "todo-secrets" && document.template.metadata.namespace == "todo-app")
        #expect(document.template.metadata.labels == ["app": "todo"] && document.template.metadata.annotations == ["note": "from secretctl"])
        #expect(document.template.type == "Opaque")
        #expect(!manifest.contains("postgres://"), "no value in the clear")
    }

    @Test("a value sealed for one Secret does not unseal as another (the label binds name and namespace)")
    func labelIsBound() throws {
        let (status, _, stderr, _) = try Self.unseal([Self.secret], scope: .strict, labelOverride: "todo-app/other-secret")
        #expect(status == 2, "unsealing under another name must fail: \(stderr)")
        let (namespaceStatus, _, _, _) = try Self.unseal([Self.secret], scope: .namespaceWide, labelOverride: "other-namespace")
        #expect(namespaceStatus == 2)
    }

    @Test("sealing is randomized: the same value seals differently each time")
    func randomized() throws {
        let certificate = try SealedSecretWriter.certificate(at: try Self.controller.get().certificatePath)
        let a = try SecretSealer.seal(Self.value("same"), certificate: certificate, label: Array("ns/name".utf8))
        let b = try SecretSealer.seal(Self.value("same"), certificate: certificate, label: Array("ns/name".utf8))
        #expect(a != b)
        let bytes = try #require(Base64.decode(a))
        #expect(bytes.prefix(2) == [0x02, 0x00], "a 4096-bit key gives a 512-byte RSA block, length-prefixed")
        #expect(bytes.count == 2 + 512 + 4 + 16)
    }

    @Test("strict and namespace-wide scopes need a namespace; cluster-wide does not")
    func namespaceRequired() throws {
        var secret = Self.secret
        secret.manifest.namespace = nil
        let certificate = try SealedSecretWriter.certificate(at: try Self.controller.get().certificatePath)
        for scope in [SealedSecretScope.strict, .namespaceWide] {
            let error = try #require(throws: SecretctlError.self) { try SealedSecretWriter.write([secret], certificate: certificate, scope: scope) }
            #expect(error.code == .usage && error.message.contains("no namespace"))
        }
        #expect(try SealedSecretWriter.write([secret], certificate: certificate, scope: .clusterWide).contains("sealedsecrets.bitnami.com/cluster-wide: \"true\""))
    }

    @Test("a file that is not a certificate is a usage error")
    func badCertificate() throws {
        let path = try Self.controller.get().folder + "/not-a-cert.pem"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: SecretctlError.self) { try SealedSecretWriter.certificate(at: path) }
        #expect(error.code == .usage && error.hint?.contains("kubeseal --fetch-cert") == true)
    }
}
