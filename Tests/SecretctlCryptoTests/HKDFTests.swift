import Foundation
import SecretctlCrypto
import Testing

/// HKDF-SHA256 through OpenSSL's EVP_KDF: RFC 5869 known answers (committed) and every
/// Wycheproof `hkdf_sha256_test.json` case (from ../shared/testdata when present).
@Suite("HKDF-SHA256")
struct HKDFTests {
    struct KnownAnswer: Sendable, CustomTestStringConvertible {
        let name: String
        let ikm: String
        let salt: String
        let info: String
        let length: Int
        let okm: String
        var testDescription: String { name }
    }

    /// RFC 5869 appendix A, test cases 1, 2 and 3 (the SHA-256 ones).
    static let rfc5869: [KnownAnswer] = [
        KnownAnswer(
            name: "RFC 5869 A.1", ikm: String(repeating: "0b", count: 22), salt: "000102030405060708090a0b0c",
            info: "f0f1f2f3f4f5f6f7f8f9", length: 42,
            okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
        KnownAnswer(
            name: "RFC 5869 A.2",
            ikm: (0x00...0x4f).map { String(format: "%02x", $0) }.joined(),
            salt: (0x60...0xaf).map { String(format: "%02x", $0) }.joined(),
            info: (0xb0...0xff).map { String(format: "%02x", $0) }.joined(), length: 82,
            okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09"
                + "da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"),
        KnownAnswer(
            name: "RFC 5869 A.3 (empty salt and info)", ikm: String(repeating: "0b", count: 22), salt: "", info: "", length: 42,
            okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
    ]

    @Test(arguments: rfc5869)
    func knownAnswer(_ vector: KnownAnswer) throws {
        let output = try HKDF.sha256(
            inputKey: SecureBytes(copying: try X25519Tests.hex(vector.ikm)), salt: try X25519Tests.hex(vector.salt),
            info: try X25519Tests.hex(vector.info), length: vector.length)
        #expect(output.equals(try X25519Tests.hex(vector.okm)))
    }

    @Test("an empty salt equals 32 zero bytes (RFC 5869 2.2)")
    func emptySaltIsZeros() throws {
        let ikm = SecureBytes(copying: Array("input key".utf8))
        let empty = try HKDF.sha256(inputKey: ikm, salt: [], info: Array("x".utf8), length: 32)
        let zeros = try HKDF.sha256(inputKey: ikm, salt: [UInt8](repeating: 0, count: 32), info: Array("x".utf8), length: 32)
        #expect(empty.constantTimeEquals(zeros))
    }

    @Test("lengths outside 1...8160 are refused", arguments: [0, -1, 255 * 32 + 1])
    func badLengthIsRefused(length: Int) {
        #expect(throws: CryptoError.self) {
            try HKDF.sha256(inputKey: SecureBytes(copying: [1, 2, 3]), salt: [], info: [], length: length)
        }
    }

    // MARK: - Wycheproof

    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        let tcId: Int
        let comment: String
        let flags: [String]
        let ikm: String
        let salt: String
        let info: String
        let size: Int
        let okm: String
        let result: String
        var testDescription: String { "tcId \(tcId) (\(result); \(flags.joined(separator: ",")); \(comment))" }
    }

    struct File: Decodable {
        struct Group: Decodable { let tests: [Vector] }
        let algorithm: String
        let testGroups: [Group]
    }

    static let wycheproofPath = "wycheproof/hkdf_sha256_test.json"

    static func vectors() throws -> [Vector] {
        guard let data = try sharedVectorFile(wycheproofPath) else { return [] }
        let file = try JSONDecoder().decode(File.self, from: data)
        guard file.algorithm == "HKDF-SHA-256" else { return [] }
        return file.testGroups.flatMap(\.tests)
    }

    @Test(.enabled(if: sharedVectorFileIsPresent(wycheproofPath), "needs ../shared/testdata/wycheproof/hkdf_sha256_test.json"), arguments: try vectors())
    func wycheproof(_ vector: Vector) throws {
        let ikm = SecureBytes(copying: try X25519Tests.hex(vector.ikm))
        let salt = try X25519Tests.hex(vector.salt)
        let info = try X25519Tests.hex(vector.info)
        if vector.result == "valid" {
            let output = try HKDF.sha256(inputKey: ikm, salt: salt, info: info, length: vector.size)
            #expect(output.equals(try X25519Tests.hex(vector.okm)))
        } else {
            #expect(throws: CryptoError.self) { try HKDF.sha256(inputKey: ikm, salt: salt, info: info, length: vector.size) }
        }
    }

    @Test(.enabled(if: sharedVectorFileIsPresent(wycheproofPath), "needs ../shared/testdata/wycheproof/hkdf_sha256_test.json"))
    func wycheproofFileIsComplete() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 86, "every case of the file is run")
        #expect(vectors.contains { $0.result == "invalid" }, "the file has cases that must be refused")
    }
}
