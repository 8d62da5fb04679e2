import SecretctlCrypto
import Testing

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test(arguments: [0, 1, 12, 32, 1000])
    func returnsTheRequestedCount(_ count: Int) throws {
        #expect(try SecureRandom.bytes(count).count == count)
        #expect(try SecureRandom.secureBytes(count).count == count)
    }

    @Test func drawsDifferOnEveryCall() throws {
        // 2^-256 chance of a false failure.
        #expect(try SecureRandom.bytes(32) != SecureRandom.bytes(32))
        #expect(!(try SecureRandom.secureBytes(32).constantTimeEquals(try SecureRandom.secureBytes(32))))
    }

    @Test func bytesAreNotConstant() throws {
        let bytes = try SecureRandom.bytes(4096)
        // Every byte value appears in 4096 uniform draws with overwhelming probability (missing one: ~256·e^-16).
        #expect(Set(bytes).count == 256)
    }
}
