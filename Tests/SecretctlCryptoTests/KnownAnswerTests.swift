import SecretctlCrypto
import Testing

/// Published vectors committed in `Vectors/known_answers.json` (sources cited there).
@Suite("Committed known-answer vectors")
struct KnownAnswerTests {
    @Test func fileHasVectorsOfBothKinds() throws {
        let file = try KnownAnswerFile.load()
        #expect(file.aesGCM.count == 4)
        #expect(file.scrypt.count == 3)
        #expect(file.sources["aesGCM"] != nil && file.sources["scrypt"] != nil, "every vector set cites its source")
    }

    @Test(arguments: try KnownAnswerFile.load().aesGCM)
    func aesGCM(_ vector: KnownAnswerFile.AESGCMVector) throws {
        let key = SecureBytes(copying: vector.key.bytes)
        let sealed = try AESGCM.seal(SecureBytes(copying: vector.plaintext.bytes), key: key, nonce: vector.iv.bytes, authenticating: vector.aad.bytes)
        #expect(sealed == vector.ciphertext.bytes + vector.tag.bytes)
        let opened = try AESGCM.open(vector.ciphertext.bytes + vector.tag.bytes, key: key, nonce: vector.iv.bytes, authenticating: vector.aad.bytes)
        #expect(opened.equals(vector.plaintext.bytes))
    }

    @Test(arguments: try KnownAnswerFile.load().scrypt)
    func scrypt(_ vector: KnownAnswerFile.ScryptVector) throws {
        let derived = try Scrypt.deriveKey(
            password: SecureBytes(copying: Array(vector.password.utf8)), salt: Array(vector.salt.utf8),
            n: vector.n, r: vector.r, p: vector.p, length: vector.derivedKey.bytes.count)
        #expect(derived.equals(vector.derivedKey.bytes))
    }
}
