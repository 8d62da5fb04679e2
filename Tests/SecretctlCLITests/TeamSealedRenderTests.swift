import Foundation
import SecretctlCore
import Testing

/// `secretctl render --sealed --cert PATH [--scope ...]`, end to end: the output unseals with
/// the controller's private key in Python (Tests/SecretctlCoreTests/team_sealed_decrypt.py).
@Suite("Team: render --sealed", .serialized)
struct TeamSealedRenderTests {
    static let unsealer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SecretctlCoreTests/team_sealed_decrypt.py").path

    static let template = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: todo-secrets
          namespace: todo-app
        type: Opaque
        data:
          DATABASE_URL: ""
          OPENAI_API_KEY: ""

        """

    static func tool(_ arguments: [String], in folder: String) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    /// A project with a vault, the template, and a 2048-bit test controller certificate.
    static func project() async throws -> TestSandbox {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("DATABASE_URL", "postgres://todo:sealed-pw@db/todo")
        try await sandbox.set("OPENAI_API_KEY", "sk-sealed-test-value")
        try sandbox.makeFolder(sandbox.project + "/k8s")
        try sandbox.write(Array(template.utf8), to: sandbox.project + "/k8s/secret.yaml", mode: 0o644)
        let (status, _, stderr) = try tool(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "controller.key",
                                            "-out", "controller.crt", "-days", "1", "-subj", "/O=sealed-secret"], in: sandbox.root)
        try #require(status == 0, "openssl: \(stderr)")
        return sandbox
    }

    @Test("the default (strict) and cluster-wide outputs unseal to the vault's values", arguments: [nil, "cluster-wide"])
    func renderUnseals(scope: String?) async throws {
        let sandbox = try await Self.project()
        let result = await sandbox.run(["render", "--sealed", "--cert", sandbox.root + "/controller.crt"] + (scope.map { ["--scope", $0] } ?? []))
        result.expectSuccess()
        #expect(result.stdoutText.hasPrefix("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n"))
        #expect(!result.stdoutText.contains("sealed-pw") && !result.stdoutText.contains("sk-sealed"), "no value in the clear")
        try sandbox.write(result.stdout, to: sandbox.root + "/sealed.yaml", mode: 0o600)
        let (status, stdout, stderr) = try Self.tool(["python3", "-B", Self.unsealer, "sealed.yaml", "controller.key"], in: sandbox.root)
        try #require(status == 0, "unsealing failed: \(stderr)")
        #expect(stdout.contains("\"scope\": \"\(scope ?? "strict")\""))
        let hex = { (text: String) in text.utf8.map { String(format: "%02x", $0) }.joined() }
        #expect(stdout.contains("\"DATABASE_URL\": \"\(hex("postgres://todo:sealed-pw@db/todo"))\""))
        #expect(stdout.contains("\"OPENAI_API_KEY\": \"\(hex("sk-sealed-test-value"))\""))
    }

    /// A stream for Argo CD or git: the Secret becomes a SealedSecret, the rest passes through.
    @Test func aStreamSealsItsSecretsAndPassesTheRestThrough() async throws {
        let sandbox = try await Self.project()
        let configMap = "# settings\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: todo-config, namespace: todo-app}\ndata: {MODEL: gpt}\n"
        try sandbox.write(Array(configMap.utf8), to: sandbox.project + "/k8s/configmap.yaml", mode: 0o644)
        let result = await sandbox.run(["render", "-f", "k8s/", "--sealed", "--cert", sandbox.root + "/controller.crt"])
        result.expectSuccess()
        let pieces = result.stdoutText.components(separatedBy: "---\n")
        #expect(pieces.count == 2 && pieces[0] == configMap, "the ConfigMap did not pass through first:\n\(result.stdoutText)")
        #expect(pieces.last?.hasPrefix("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n") == true)
        #expect(!result.stdoutText.contains("sealed-pw") && !result.stdoutText.contains("sk-sealed"), "no value in the clear")
        try sandbox.write(Array((pieces.last ?? "").utf8), to: sandbox.root + "/sealed.yaml", mode: 0o600)
        let (status, stdout, stderr) = try Self.tool(["python3", "-B", Self.unsealer, "sealed.yaml", "controller.key"], in: sandbox.root)
        try #require(status == 0, "unsealing failed: \(stderr)")
        let hex = { (text: String) in text.utf8.map { String(format: "%02x", $0) }.joined() }
        #expect(stdout.contains("\"DATABASE_URL\": \"\(hex("postgres://todo:sealed-pw@db/todo"))\""))
    }

    @Test("--sealed without --cert, --cert without --sealed, and -o json with --sealed are usage errors")
    func usage() async throws {
        let sandbox = try await Self.project()
        await sandbox.run(["render", "--sealed"]).expectFailure(.usage, "--sealed needs --cert")
        await sandbox.run(["render", "--cert", "x.pem"]).expectFailure(.usage, "go with --sealed")
        await sandbox.run(["render", "--sealed", "--cert", sandbox.root + "/controller.crt", "-o", "json"]).expectFailure(.usage, "YAML only")
        await sandbox.run(["render", "--sealed", "--cert", sandbox.root + "/controller.key"]).expectFailure(.usage, "not a usable sealed-secrets certificate")
    }
}
