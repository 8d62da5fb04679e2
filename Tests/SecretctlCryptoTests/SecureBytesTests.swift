import SecretctlCrypto
import Testing

@Suite("SecureBytes")
struct SecureBytesTests {
    static let secret = "hunter2-do-not-print"

    static func secretBytes() -> SecureBytes { SecureBytes(copying: Array(secret.utf8)) }

    // MARK: - Never printed

    @Test func descriptionIsRedacted() {
        let bytes = Self.secretBytes()
        #expect(bytes.description == "<redacted>")
        #expect(bytes.debugDescription == "<redacted>")
        #expect(String(describing: bytes) == "<redacted>")
        #expect(String(reflecting: bytes) == "<redacted>")
        #expect("\(bytes)" == "<redacted>")
    }

    @Test func dumpShowsNoBytes() {
        var output = ""
        dump(Self.secretBytes(), to: &output)
        #expect(output.contains("<redacted>"))
        #expect(!output.contains(Self.secret))
        // No child per byte either (the bytes as decimal would be 104, 117, ...).
        #expect(!output.contains("104"))
        #expect(Mirror(reflecting: Self.secretBytes()).children.isEmpty)
    }

    @Test func redactedInsideCollections() {
        let nested = ["key": Self.secretBytes()]
        #expect(!"\(nested)".contains(Self.secret))
        #expect("\(nested)".contains("<redacted>"))
        var output = ""
        dump([Self.secretBytes()], to: &output)
        #expect(!output.contains(Self.secret))
    }

    // MARK: - Equality

    @Test func constantTimeEqualsComparesContent() {
        let a = SecureBytes(copying: [1, 2, 3, 4])
        #expect(a.constantTimeEquals(SecureBytes(copying: [1, 2, 3, 4])))
        #expect(a.constantTimeEquals(a))
        #expect(SecureBytes().constantTimeEquals(SecureBytes()))
    }

    @Test(arguments: [
        [0, 2, 3, 4], [1, 2, 3, 5], [1, 2, 3], [1, 2, 3, 4, 0], [], [0x81, 2, 3, 4],
    ] as [[UInt8]])
    func constantTimeEqualsRejectsAnyDifference(_ other: [UInt8]) {
        let a = SecureBytes(copying: [1, 2, 3, 4])
        #expect(!a.constantTimeEquals(SecureBytes(copying: other)))
        #expect(!SecureBytes(copying: other).constantTimeEquals(a))
        #expect(!a.equals(other))
    }

    // MARK: - Building

    @Test func copyingKeepsBytesAndCount() {
        let bytes = SecureBytes(copying: [9, 8, 7])
        #expect(bytes.count == 3)
        #expect(!bytes.isEmpty)
        #expect(bytes.withUnsafeBytes { Array($0) } == [9, 8, 7])
        #expect(bytes.contains { $0 == 8 })
        #expect(!bytes.contains { $0 == 1 })
    }

    @Test func emptyBuffer() {
        let empty = SecureBytes()
        #expect(empty.count == 0)
        #expect(empty.isEmpty)
        #expect(empty.withUnsafeBytes { $0.count } == 0)
        #expect(empty.equals([]))
        #expect(SecureBytes(copying: [UInt8]()).isEmpty)
    }

    @Test(arguments: [0..<0, 0..<10, 3..<7, 9..<10, 10..<10])
    func sliceCopiesTheRange(_ range: Range<Int>) {
        let source = Array(UInt8(0)..<10)
        let slice = SecureBytes(copying: source).slice(range)
        #expect(slice.count == range.count)
        #expect(slice.equals(source[range]))
    }

    @Test func joinedConcatenatesInOrder() {
        let joined = SecureBytes.joined([SecureBytes(copying: [1, 2]), SecureBytes(), SecureBytes(copying: [3]), SecureBytes(copying: [4, 5, 6])])
        #expect(joined.equals([1, 2, 3, 4, 5, 6]))
        #expect(SecureBytes.joined([]).isEmpty)
    }

    @Test func sliceAndJoinAreIndependentCopies() {
        let source = SecureBytes(copying: [1, 2, 3])
        let slice = source.slice(0..<2)
        let joined = SecureBytes.joined([source])
        #expect(slice.equals([1, 2]))
        #expect(joined.equals([1, 2, 3]))
        #expect(joined !== source)
    }

    @Test func throwingInitializerPropagatesTheError() {
        struct Refused: Error, Equatable {}
        #expect(throws: Refused()) {
            try SecureBytes(count: 8) { (_) throws(Refused) in throw Refused() }
        }
    }

    @Test func initializerSeesZeroedBuffer() {
        let bytes = SecureBytes(count: 64) { buffer in
            #expect(buffer.allSatisfy { $0 == 0 }, "fresh buffers are zeroed")
        }
        #expect(bytes.equals([UInt8](repeating: 0, count: 64)))
    }

    @Test func sliceOutOfRangeStops() async {
        await #expect(processExitsWith: .failure) {
            _ = SecureBytes(copying: [1, 2, 3]).slice(2..<4)
        }
    }
}
