import SecretctlCrypto
import Testing

/// Every Wycheproof AES-GCM vector: the 256-bit key / 96-bit IV / 128-bit tag ones must
/// behave exactly as the file says, and every other size must be refused before any crypto.
@Suite("Wycheproof AES-GCM")
struct WycheproofAESGCMTests {
    typealias Vector = WycheproofAEADFile.Case

    static let path = "wycheproof/aes_gcm_test.json"
    static let present = SharedTestData.isPresent(path)
    static let absentComment: Comment = "needs ../shared/testdata/wycheproof/aes_gcm_test.json (or $SECRETCTL_TESTDATA)"

    /// The only shape `AESGCM` accepts.
    static func isAccepted(_ vector: Vector) -> Bool {
        vector.keySize == 256 && vector.ivSize == 96 && vector.tagSize == 128
    }

    static func vectors() throws -> [Vector] {
        try SharedTestData.decode(WycheproofAEADFile.self, from: path)?.cases ?? []
    }
    static func acceptedValid() throws -> [Vector] { try vectors().filter { isAccepted($0) && $0.result == "valid" } }
    static func acceptedInvalid() throws -> [Vector] { try vectors().filter { isAccepted($0) && $0.result == "invalid" } }
    static func otherSizes() throws -> [Vector] { try vectors().filter { !isAccepted($0) } }

    // MARK: - Accepted sizes

    @Test(.enabled(if: present, absentComment), arguments: try acceptedValid())
    func validVectorOpensAndSeals(_ vector: Vector) throws {
        let key = SecureBytes(copying: vector.key.bytes)
        let opened = try AESGCM.open(vector.ct.bytes + vector.tag.bytes, key: key, nonce: vector.iv.bytes, authenticating: vector.aad.bytes)
        #expect(opened.equals(vector.msg.bytes), "decrypts to msg")

        let sealed = try AESGCM.seal(SecureBytes(copying: vector.msg.bytes), key: key, nonce: vector.iv.bytes, authenticating: vector.aad.bytes)
        #expect(sealed == vector.ct.bytes + vector.tag.bytes, "encrypts to ct || tag")
    }

    @Test(.enabled(if: present, absentComment), arguments: try acceptedInvalid())
    func invalidVectorIsRefused(_ vector: Vector) {
        let key = SecureBytes(copying: vector.key.bytes)
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(vector.ct.bytes + vector.tag.bytes, key: key, nonce: vector.iv.bytes, authenticating: vector.aad.bytes)
        }
    }

    // MARK: - Other sizes

    /// The size error `AESGCM` must report for `vector`: the key is checked first, then the nonce.
    static func expectedSizeError(_ vector: Vector) -> CryptoError {
        if vector.key.bytes.count != AESGCM.keySize {
            return .invalidSize(what: "key", expected: AESGCM.keySize, actual: vector.key.bytes.count)
        }
        return .invalidSize(what: "nonce", expected: AESGCM.nonceSize, actual: vector.iv.bytes.count)
    }

    /// Whether both directions refuse `vector` with the size error, before computing anything.
    static func isRefusedForSize(_ vector: Vector) -> Bool {
        let key = SecureBytes(copying: vector.key.bytes)
        let expected = expectedSizeError(vector)
        let sealError: CryptoError?
        do {
            _ = try AESGCM.seal(SecureBytes(copying: vector.msg.bytes), key: key, nonce: vector.iv.bytes, authenticating: vector.aad.bytes)
            sealError = nil
        } catch { sealError = error }
        let openError: CryptoError?
        do {
            _ = try AESGCM.open(vector.ct.bytes + vector.tag.bytes, key: key, nonce: vector.iv.bytes, authenticating: vector.aad.bytes)
            openError = nil
        } catch { openError = error }
        return sealError == expected && openError == expected
    }

    @Test(.enabled(if: present, absentComment), arguments: try otherSizes())
    func otherSizeIsRefused(_ vector: Vector) {
        let key = SecureBytes(copying: vector.key.bytes)
        #expect(throws: Self.expectedSizeError(vector)) {
            try AESGCM.seal(SecureBytes(copying: vector.msg.bytes), key: key, nonce: vector.iv.bytes, authenticating: vector.aad.bytes)
        }
        #expect(throws: Self.expectedSizeError(vector)) {
            try AESGCM.open(vector.ct.bytes + vector.tag.bytes, key: key, nonce: vector.iv.bytes, authenticating: vector.aad.bytes)
        }
    }

    @Test(.enabled(if: present, absentComment))
    func everyVectorIsAccountedFor() throws {
        let file = try #require(try SharedTestData.decode(WycheproofAEADFile.self, from: Self.path), "the Wycheproof file vanished")
        let all = file.cases
        #expect(file.algorithm == "AES-GCM")
        #expect(all.count == file.numberOfTests, "numberOfTests in the file matches the cases read")
        #expect(all.allSatisfy { $0.result == "valid" || $0.result == "invalid" }, "only valid/invalid results are known to this test")

        let accepted = all.filter(Self.isAccepted)
        let others = all.filter { !Self.isAccepted($0) }
        #expect(accepted.contains { $0.result == "valid" } && accepted.contains { $0.result == "invalid" }, "the file exercises the accepted size both ways")
        #expect(!others.isEmpty, "the file has vectors of sizes AESGCM refuses")

        let refused = others.filter(Self.isRefusedForSize)
        #expect(refused.count == others.count, "\(others.count - refused.count) of \(others.count) vectors of other sizes were not refused with invalidSize")
    }
}
