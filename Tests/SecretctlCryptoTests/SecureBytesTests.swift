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

    // MARK: - Without a zero-fill pass

    static let sizes = [0, 1, 15, 16, 17, 4096, 4097, 65536, (1 << 20) + 1]

    static func pattern(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) ^ seed }
    }

    @Test(arguments: sizes)
    func uninitializedCountHoldsWhatTheClosureWrote(_ size: Int) {
        let expected = Self.pattern(size, seed: 0x3C)
        var seen = -1
        let bytes = SecureBytes(unsafeUninitializedCount: size) { buffer in
            seen = buffer.count
            buffer.copyMemory(from: UnsafeRawBufferPointer(start: expected, count: size))
        }
        #expect(seen == size, "the closure gets exactly count bytes")
        #expect(bytes.count == size)
        #expect(bytes.equals(expected))
    }

    @Test(arguments: [(0, 0), (10, 0), (10, 4), (10, 10), (5000, 4999)])
    func uninitializedCapacityKeepsTheInitializedPrefix(_ capacity: Int, _ written: Int) {
        let bytes = SecureBytes(unsafeUninitializedCapacity: capacity) { buffer, initializedCount in
            #expect(buffer.count == capacity)
            for index in 0..<capacity { buffer[index] = 0xEE }  // scratch beyond the prefix too
            for index in 0..<written { buffer[index] = UInt8(truncatingIfNeeded: index) }
            initializedCount = written
        }
        #expect(bytes.count == written)
        #expect(bytes.equals((0..<written).map { UInt8(truncatingIfNeeded: $0) }))
    }

    @Test(arguments: [0..<0, 0..<10, 3..<7, 9..<10])
    func copyingRawBytesKeepsTheRange(_ range: Range<Int>) {
        let source = Self.pattern(10, seed: 0x81)
        let copy = source.withUnsafeBytes { SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[range])) }
        #expect(copy.count == range.count)
        #expect(copy.equals(source[range]))
    }

    @Test func uninitializedThrowingInitializerPropagatesTheError() {
        struct Refused: Error, Equatable {}
        #expect(throws: Refused()) {
            try SecureBytes(unsafeUninitializedCount: 1 << 16) { (buffer) throws(Refused) in
                buffer.initializeMemory(as: UInt8.self, repeating: 0xA5)
                throw Refused()
            }
        }
    }

    @Test func initializedCountBeyondCapacityStops() async {
        await #expect(processExitsWith: .failure) {
            _ = SecureBytes(unsafeUninitializedCapacity: 4) { _, initializedCount in initializedCount = 5 }
        }
    }

    /// Freed buffers are wiped before their memory is handed out again (the pool reuses the
    /// newest block of a size first, so the next buffer of the same size gets the same memory).
    @Test(arguments: sizes + [2 << 20])
    func memoryIsWipedBeforeReuse(_ size: Int) {
        for _ in 0..<3 {
            _ = SecureBytes(unsafeUninitializedCount: size) { $0.initializeMemory(as: UInt8.self, repeating: 0xA5) }
            struct Refused: Error {}
            _ = try? SecureBytes(unsafeUninitializedCount: size) { (buffer) throws(Refused) in
                buffer.initializeMemory(as: UInt8.self, repeating: 0xA5)
                throw Refused()
            }
            let next = SecureBytes(unsafeUninitializedCapacity: size) { buffer, initializedCount in
                #expect(!buffer.contains(0xA5), "a released buffer's bytes are visible to the next one")
                initializedCount = size
            }
            #expect(!next.contains { $0 == 0xA5 })
        }
    }

    @Test func cachedMemoryCanBeReleased() {
        _ = SecureBytes(copying: Self.pattern(1 << 20, seed: 1))
        SecureBytes.releaseCachedMemory()
        let fresh = SecureBytes(count: 1 << 20) { _ in }
        #expect(fresh.equals([UInt8](repeating: 0, count: 1 << 20)))
    }

    /// Many threads allocating and freeing at once never share a buffer.
    @Test func concurrentBuffersAreIndependent() async {
        let failures = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var failures = 0
                    for round in 0..<300 {
                        let size = [3, 40, 700, 5000, 70000][(task + round) % 5]
                        let seed = UInt8(truncatingIfNeeded: task &* 31 &+ round)
                        let bytes = SecureBytes(unsafeUninitializedCount: size) { $0.initializeMemory(as: UInt8.self, repeating: seed) }
                        let other = SecureBytes(copying: [seed, seed])
                        if !bytes.equals([UInt8](repeating: seed, count: size)) || !other.equals([seed, seed]) { failures += 1 }
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    @Test func sliceOutOfRangeStops() async {
        await #expect(processExitsWith: .failure) {
            _ = SecureBytes(copying: [1, 2, 3]).slice(2..<4)
        }
    }
}
