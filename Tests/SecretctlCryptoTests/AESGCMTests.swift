import SecretctlCrypto
import Testing

@Suite("AESGCM")
struct AESGCMTests {
    static let key = SecureBytes(copying: (0..<32).map { UInt8($0) })
    static let nonce: [UInt8] = Array(repeating: 0x42, count: 12)
    static let aad: [UInt8] = Array("header".utf8)
    static let plaintext: [UInt8] = Array("hello".utf8)

    static func sealed() throws -> [UInt8] {
        try AESGCM.seal(SecureBytes(copying: plaintext), key: key, nonce: nonce, authenticating: aad)
    }

    @Test func roundTrip() throws {
        let box = try Self.sealed()
        #expect(box.count == Self.plaintext.count + AESGCM.tagSize)
        #expect(Array(box.prefix(Self.plaintext.count)) != Self.plaintext, "the ciphertext is not the plaintext")
        let opened = try AESGCM.open(box, key: Self.key, nonce: Self.nonce, authenticating: Self.aad)
        #expect(opened.equals(Self.plaintext))
    }

    @Test func emptyPlaintextAndEmptyAssociatedData() throws {
        let box = try AESGCM.seal(SecureBytes(), key: Self.key, nonce: Self.nonce)
        #expect(box.count == AESGCM.tagSize)
        #expect(try AESGCM.open(box, key: Self.key, nonce: Self.nonce).isEmpty)
    }

    @Test func largePlaintextRoundTrips() throws {
        let big = (0..<(1 << 20) + 7).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let box = try AESGCM.seal(SecureBytes(copying: big), key: Self.key, nonce: Self.nonce, authenticating: Self.aad)
        #expect(try AESGCM.open(box, key: Self.key, nonce: Self.nonce, authenticating: Self.aad).equals(big))
    }

    // MARK: - Tampering

    /// Every bit of `ciphertext || tag`.
    @Test(arguments: 0..<(5 + 16) * 8)
    func flippedSealedBitFails(_ bit: Int) throws {
        var box = try Self.sealed()
        box[bit / 8] ^= 1 << UInt8(bit % 8)
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box, key: Self.key, nonce: Self.nonce, authenticating: Self.aad)
        }
    }

    /// Every bit of the associated data.
    @Test(arguments: 0..<6 * 8)
    func flippedAssociatedDataBitFails(_ bit: Int) throws {
        let box = try Self.sealed()
        var aad = Self.aad
        aad[bit / 8] ^= 1 << UInt8(bit % 8)
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box, key: Self.key, nonce: Self.nonce, authenticating: aad)
        }
    }

    /// A wrong tag on a large box: nothing is returned, and the plaintext OpenSSL had already
    /// written is wiped before its memory can serve another buffer (sizes no other test uses,
    /// so the next buffer of that size reuses the block).
    @Test(arguments: [1500, (3 << 20) - 5])
    func wrongTagLeavesNoPlaintextBehind(_ size: Int) throws {
        let secret = [UInt8](repeating: 0x5A, count: size)
        var box = try AESGCM.seal(SecureBytes(copying: secret), key: Self.key, nonce: Self.nonce, authenticating: Self.aad)
        box[box.count - 1] ^= 1
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box, key: Self.key, nonce: Self.nonce, authenticating: Self.aad)
        }
        let next = SecureBytes(unsafeUninitializedCapacity: size) { buffer, count in
            #expect(!buffer.contains(0x5A), "plaintext of a failed open is still in memory")
            count = size
        }
        #expect(next.count == size)
    }

    @Test(arguments: [[], Array("heade".utf8), Array("header!".utf8)] as [[UInt8]])
    func otherAssociatedDataFails(_ aad: [UInt8]) throws {
        let box = try Self.sealed()
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box, key: Self.key, nonce: Self.nonce, authenticating: aad)
        }
    }

    @Test func truncatedOrExtendedBoxFails() throws {
        let box = try Self.sealed()
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(Array(box.dropLast()), key: Self.key, nonce: Self.nonce, authenticating: Self.aad)
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box + [0], key: Self.key, nonce: Self.nonce, authenticating: Self.aad)
        }
    }

    @Test func wrongKeyOrNonceFails() throws {
        let box = try Self.sealed()
        var otherKey = (0..<32).map { UInt8($0) }
        otherKey[31] ^= 1
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box, key: SecureBytes(copying: otherKey), nonce: Self.nonce, authenticating: Self.aad)
        }
        var otherNonce = Self.nonce
        otherNonce[0] ^= 0x80
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box, key: Self.key, nonce: otherNonce, authenticating: Self.aad)
        }
    }

    // MARK: - Sizes, checked before any crypto

    @Test(arguments: [0, 16, 24, 31, 33, 64])
    func wrongKeySizeIsRefused(_ size: Int) throws {
        let key = SecureBytes(copying: [UInt8](repeating: 1, count: size))
        let expected = CryptoError.invalidSize(what: "key", expected: 32, actual: size)
        #expect(throws: expected) { try AESGCM.seal(SecureBytes(copying: Self.plaintext), key: key, nonce: Self.nonce) }
        #expect(throws: expected) { try AESGCM.open(try Self.sealed(), key: key, nonce: Self.nonce, authenticating: Self.aad) }
    }

    @Test(arguments: [0, 1, 8, 11, 13, 16, 128])
    func wrongNonceSizeIsRefused(_ size: Int) throws {
        let nonce = [UInt8](repeating: 1, count: size)
        let expected = CryptoError.invalidSize(what: "nonce", expected: 12, actual: size)
        #expect(throws: expected) { try AESGCM.seal(SecureBytes(copying: Self.plaintext), key: Self.key, nonce: nonce) }
        #expect(throws: expected) { try AESGCM.open(try Self.sealed(), key: Self.key, nonce: nonce, authenticating: Self.aad) }
    }

    @Test(arguments: [0, 1, 15])
    func boxShorterThanTagIsRefused(_ size: Int) {
        #expect(throws: CryptoError.invalidSize(what: "sealed box", expected: 16, actual: size)) {
            try AESGCM.open([UInt8](repeating: 0, count: size), key: Self.key, nonce: Self.nonce)
        }
    }
}
