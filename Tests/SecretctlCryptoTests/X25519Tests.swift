import Foundation
import SecretctlCrypto
import Testing

/// X25519 through OpenSSL: RFC 7748 known answers (committed) and every Wycheproof
/// `x25519_test.json` case (from ../shared/testdata when present).
@Suite("X25519")
struct X25519Tests {
    // MARK: - RFC 7748

    /// RFC 7748 section 6.1.
    static let alicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
    static let alicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
    static let bobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
    static let bobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
    static let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

    @Test("RFC 7748 6.1: public keys", arguments: [(alicePrivate, alicePublic), (bobPrivate, bobPublic)])
    func publicKeyMatchesRFC(privateHex: String, publicHex: String) throws {
        let key = SecureBytes(copying: try Self.hex(privateHex))
        #expect(try X25519.publicKey(privateKey: key) == Self.hex(publicHex))
    }

    @Test("RFC 7748 6.1: both sides agree on the shared secret", arguments: [(alicePrivate, bobPublic), (bobPrivate, alicePublic)])
    func sharedSecretMatchesRFC(privateHex: String, peerHex: String) throws {
        let secret = try X25519.sharedSecret(privateKey: SecureBytes(copying: try Self.hex(privateHex)), peerPublicKey: try Self.hex(peerHex))
        #expect(secret.equals(try Self.hex(Self.shared)))
    }

    @Test("RFC 7748 5.2: scalar multiplication vector")
    func scalarMultiplicationMatchesRFC() throws {
        let scalar = SecureBytes(copying: try Self.hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"))
        let u = try Self.hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")
        let output = try X25519.sharedSecret(privateKey: scalar, peerPublicKey: u)
        #expect(output.equals(try Self.hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")))
    }

    // MARK: - Generated keys

    @Test func generatedKeysAgree() throws {
        let a = try X25519.generatePrivateKey()
        let b = try X25519.generatePrivateKey()
        #expect(a.count == 32 && b.count == 32)
        #expect(!a.constantTimeEquals(b), "two generated keys differ")
        let ab = try X25519.sharedSecret(privateKey: a, peerPublicKey: try X25519.publicKey(privateKey: b))
        let ba = try X25519.sharedSecret(privateKey: b, peerPublicKey: try X25519.publicKey(privateKey: a))
        #expect(ab.constantTimeEquals(ba))
    }

    @Test("the all-zero public key (low order) is refused")
    func lowOrderPointIsRefused() throws {
        let key = try X25519.generatePrivateKey()
        #expect(throws: CryptoError.self) { try X25519.sharedSecret(privateKey: key, peerPublicKey: [UInt8](repeating: 0, count: 32)) }
    }

    @Test("wrong sizes are refused before OpenSSL runs", arguments: [0, 31, 33, 64])
    func wrongSizesAreRefused(count: Int) throws {
        let key = try X25519.generatePrivateKey()
        #expect(throws: CryptoError.invalidSize(what: "X25519 public key", expected: 32, actual: count)) {
            try X25519.sharedSecret(privateKey: key, peerPublicKey: [UInt8](repeating: 9, count: count))
        }
        #expect(throws: CryptoError.invalidSize(what: "X25519 private key", expected: 32, actual: count)) {
            try X25519.publicKey(privateKey: SecureBytes(copying: [UInt8](repeating: 9, count: count)))
        }
    }

    // MARK: - Wycheproof

    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        let tcId: Int
        let comment: String
        let flags: [String]
        let `public`: String
        let `private`: String
        let shared: String
        let result: String
        var testDescription: String { "tcId \(tcId) (\(result); \(flags.joined(separator: ",")); \(comment))" }
    }

    struct File: Decodable {
        struct Group: Decodable { let curve: String; let tests: [Vector] }
        let algorithm: String
        let testGroups: [Group]
    }

    static let wycheproofPath = "wycheproof/x25519_test.json"

    static func vectors() throws -> [Vector] {
        guard let data = try sharedVectorFile(wycheproofPath) else { return [] }
        let file = try JSONDecoder().decode(File.self, from: data)
        return file.testGroups.filter { $0.curve == "curve25519" }.flatMap(\.tests)
    }

    /// Every case, valid and acceptable: the result must match, except that an all-zero
    /// shared secret (RFC 7748 section 6.1) must be refused.
    @Test(.enabled(if: sharedVectorFileIsPresent(wycheproofPath), "needs ../shared/testdata/wycheproof/x25519_test.json"), arguments: try vectors())
    func wycheproof(_ vector: Vector) throws {
        let privateKey = SecureBytes(copying: try Self.hex(vector.private))
        let peer = try Self.hex(vector.public)
        if vector.flags.contains("ZeroSharedSecret") {
            #expect(vector.shared == String(repeating: "0", count: 64), "the vector's secret is zero")
            #expect(throws: CryptoError.self) { try X25519.sharedSecret(privateKey: privateKey, peerPublicKey: peer) }
        } else {
            let secret = try X25519.sharedSecret(privateKey: privateKey, peerPublicKey: peer)
            #expect(secret.equals(try Self.hex(vector.shared)))
        }
    }

    @Test(.enabled(if: sharedVectorFileIsPresent(wycheproofPath), "needs ../shared/testdata/wycheproof/x25519_test.json"))
    func wycheproofFileIsComplete() throws {
        #expect(try Self.vectors().count == 518, "every case of the file is run")
    }

    // MARK: - Helpers

    struct BadHex: Error {}

    static func hex(_ text: String) throws -> [UInt8] {
        guard text.count % 2 == 0 else { throw BadHex() }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { throw BadHex() }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

/// `<repo>/../shared/testdata/<path>` (or `$SECRETCTL_TESTDATA/<path>`), found from this file's path.
private func sharedVectorFileURL(_ relativePath: String) -> URL {
    if let override = ProcessInfo.processInfo.environment["SECRETCTL_TESTDATA"], !override.isEmpty {
        return URL(fileURLWithPath: override).appendingPathComponent(relativePath)
    }
    return URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/testdata").appendingPathComponent(relativePath)
}

func sharedVectorFileIsPresent(_ relativePath: String) -> Bool {
    FileManager.default.isReadableFile(atPath: sharedVectorFileURL(relativePath).path)
}

/// The file's bytes, or nil when absent (the tests that need it are then disabled, not passed).
func sharedVectorFile(_ relativePath: String) throws -> Data? {
    guard sharedVectorFileIsPresent(relativePath) else { return nil }
    return try Data(contentsOf: sharedVectorFileURL(relativePath))
}
