import Foundation
import SecretctlCrypto
import Testing

/// RSA-OAEP (SHA-256, MGF1-SHA-256) encryption, checked by decrypting with the `openssl`
/// command-line tool and a private key made at test time.
@Suite("RSA-OAEP SHA-256")
struct RSAOAEPTests {
    /// A throwaway 2048-bit key pair and self-signed certificate in a temporary folder.
    final class KeyPair: Sendable {
        let folder: String
        var keyPath: String { folder + "/key.pem" }
        var certificatePath: String { folder + "/cert.pem" }
        var publicKeyPath: String { folder + "/pub.pem" }

        init(bits: Int = 2048, algorithm: String = "rsa") throws {
            folder = NSTemporaryDirectory() + "secretctl-rsa-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let newkey = algorithm == "rsa" ? "rsa:\(bits)" : "ec"
            var arguments = ["req", "-x509", "-newkey", newkey, "-nodes", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem",
                             "-days", "1", "-subj", "/CN=sealed-secret"]
            if algorithm != "rsa" { arguments += ["-pkeyopt", "ec_paramgen_curve:prime256v1"] }
            _ = try RSAOAEPTests.openssl(arguments)
            _ = try RSAOAEPTests.openssl(["pkey", "-in", folder + "/key.pem", "-pubout", "-out", folder + "/pub.pem"])
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }

    struct CommandFailed: Error, CustomStringConvertible { let description: String }

    /// Runs `openssl` with `arguments` and `input` on stdin; throws on a non-zero exit.
    static func openssl(_ arguments: [String], input: [UInt8] = []) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(description: "openssl \(arguments.first ?? "") failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return Array(output)
    }

    static func decrypt(_ ciphertext: [UInt8], keyPath: String, label: [UInt8]) throws -> [UInt8] {
        var arguments = ["pkeyutl", "-decrypt", "-inkey", keyPath, "-pkeyopt", "rsa_padding_mode:oaep",
                         "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256"]
        if !label.isEmpty { arguments += ["-pkeyopt", "rsa_oaep_label:" + label.map { String(format: "%02x", $0) }.joined()] }
        return try openssl(arguments, input: ciphertext)
    }

    static let pair = Result { try KeyPair() }

    @Test("openssl decrypts what RSAOAEP encrypts, for each sealed-secrets label",
          arguments: ["app/db-credentials", "app", ""])
    func roundTripThroughOpenSSL(label: String) throws {
        let pair = try Self.pair.get()
        let key = try RSAPublicKey(pem: Array(try Data(contentsOf: URL(fileURLWithPath: pair.certificatePath))))
        #expect(key.bits == 2048)
        let session = try SecureRandom.secureBytes(32)
        let ciphertext = try RSAOAEP.encryptSHA256(session, publicKey: key, label: Array(label.utf8))
        #expect(ciphertext.count == 256, "one modulus-sized block")
        let decrypted = try Self.decrypt(ciphertext, keyPath: pair.keyPath, label: Array(label.utf8))
        #expect(session.equals(decrypted))
    }

    @Test("the label is bound: another label does not decrypt")
    func wrongLabelFails() throws {
        let pair = try Self.pair.get()
        let key = try RSAPublicKey(pem: Array(try Data(contentsOf: URL(fileURLWithPath: pair.certificatePath))))
        let ciphertext = try RSAOAEP.encryptSHA256(try SecureRandom.secureBytes(32), publicKey: key, label: Array("app/a".utf8))
        #expect(throws: CommandFailed.self) { try Self.decrypt(ciphertext, keyPath: pair.keyPath, label: Array("app/b".utf8)) }
    }

    @Test("encryption is randomized")
    func encryptionIsRandomized() throws {
        let pair = try Self.pair.get()
        let key = try RSAPublicKey(pem: Array(try Data(contentsOf: URL(fileURLWithPath: pair.publicKeyPath))))
        let session = try SecureRandom.secureBytes(32)
        #expect(try RSAOAEP.encryptSHA256(session, publicKey: key, label: []) != RSAOAEP.encryptSHA256(session, publicKey: key, label: []))
    }

    @Test("a bare PUBLIC KEY PEM is accepted as well as a certificate")
    func publicKeyPEMIsAccepted() throws {
        let pair = try Self.pair.get()
        let key = try RSAPublicKey(pem: Array(try Data(contentsOf: URL(fileURLWithPath: pair.publicKeyPath))))
        #expect(key.bits == 2048)
    }

    @Test("not PEM, an EC certificate, and a 1024-bit key are refused")
    func unusableKeysAreRefused() throws {
        #expect(throws: CryptoError.self) { try RSAPublicKey(pem: Array("not a certificate\n".utf8)) }
        #expect(throws: CryptoError.self) { try RSAPublicKey(pem: []) }
        let ec = try KeyPair(algorithm: "ec")
        #expect(throws: CryptoError.invalidParameters("the key is not an RSA key")) {
            try RSAPublicKey(pem: Array(try Data(contentsOf: URL(fileURLWithPath: ec.certificatePath))))
        }
        let small = try KeyPair(bits: 1024)
        #expect(throws: CryptoError.invalidParameters("the RSA key has 1024 bits; at least 2048 are required")) {
            try RSAPublicKey(pem: Array(try Data(contentsOf: URL(fileURLWithPath: small.certificatePath))))
        }
    }
}
