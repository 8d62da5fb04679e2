import SecretctlCrypto
import Testing

@Suite("Scrypt")
struct ScryptTests {
    static let path = "scrypt_rfc7914.json"

    static func rfcVectors() throws -> [ScryptRFC7914File.Vector] {
        try SharedTestData.decode(ScryptRFC7914File.self, from: path)?.vectors ?? []
    }

    @Test(.enabled(if: SharedTestData.isPresent(path), "needs ../shared/testdata/scrypt_rfc7914.json (or $SECRETCTL_TESTDATA)"),
        arguments: try rfcVectors())
    func rfc7914(_ vector: ScryptRFC7914File.Vector) throws {
        #expect(vector.derivedKeyHex.bytes.count == vector.dkLen, "the vector's own length field agrees with its key")
        let derived = try Scrypt.deriveKey(
            password: SecureBytes(copying: Array(vector.password.utf8)), salt: Array(vector.salt.utf8),
            n: vector.N, r: vector.r, p: vector.p, length: vector.dkLen)
        #expect(derived.equals(vector.derivedKeyHex.bytes))
    }

    @Test(.enabled(if: SharedTestData.isPresent(path), "needs ../shared/testdata/scrypt_rfc7914.json"))
    func rfcFileHasVectors() throws {
        #expect(try Self.rfcVectors().count >= 3)
    }

    struct BadParameters: Sendable, CustomStringConvertible {
        let n: UInt64
        let r: UInt64
        let p: UInt64
        let length: Int
        var description: String { "N=\(n) r=\(r) p=\(p) length=\(length)" }
    }

    /// Refused by the parameter checks, before OpenSSL runs (or allocates) anything.
    @Test(arguments: [
        BadParameters(n: 0, r: 8, p: 1, length: 32),
        BadParameters(n: 1, r: 8, p: 1, length: 32),
        BadParameters(n: 1000, r: 8, p: 1, length: 32),
        BadParameters(n: 1024, r: 0, p: 1, length: 32),
        BadParameters(n: 1024, r: 8, p: 0, length: 32),
        BadParameters(n: 1024, r: 8, p: 1, length: 0),
        BadParameters(n: 1 << 62, r: 1 << 40, p: 1, length: 32),
        // Each product fits in 64 bits but their sum does not.
        BadParameters(n: 1 << 6, r: 1 << 50, p: 1 << 6, length: 32),
        BadParameters(n: 1 << 56, r: 1, p: 1 << 56, length: 32),
    ])
    func invalidParametersAreRefused(_ bad: BadParameters) {
        let error = #expect(throws: CryptoError.self) {
            try Scrypt.deriveKey(password: SecureBytes(copying: Array("pw".utf8)), salt: [1, 2, 3], n: bad.n, r: bad.r, p: bad.p, length: bad.length)
        }
        guard case .invalidParameters = error else {
            Issue.record("expected invalidParameters, got \(String(describing: error))")
            return
        }
    }

    @Test func sameInputsSameKeyDifferentSaltDifferentKey() throws {
        let password = SecureBytes(copying: Array("correct horse".utf8))
        let a = try Scrypt.deriveKey(password: password, salt: Array(repeating: 1, count: 16), n: 1024, r: 8, p: 1, length: 32)
        let b = try Scrypt.deriveKey(password: password, salt: Array(repeating: 1, count: 16), n: 1024, r: 8, p: 1, length: 32)
        let c = try Scrypt.deriveKey(password: password, salt: Array(repeating: 2, count: 16), n: 1024, r: 8, p: 1, length: 32)
        #expect(a.count == 32)
        #expect(a.constantTimeEquals(b))
        #expect(!a.constantTimeEquals(c))
    }

    /// The vault default (log2 N = 18, r = 8: 256 MiB) is above OpenSSL's 32 MiB default
    /// `maxmem`; it must still run. Expected value from Python `cryptography`'s Scrypt.
    @Test func vaultDefaultWorkFactorRuns() throws {
        let key = try Scrypt.deriveKey(
            password: SecureBytes(copying: Array("pw".utf8)), salt: Array(repeating: 7, count: 16), n: 1 << 18, r: 8, p: 1, length: 32)
        #expect(key.equals(try #require(HexBytes.decode("d36b31c7736c3b110bc7f25493b004c21d609e2ad0ac8117a78a3683a2a6ff3f"))))
    }
}
