import SecretctlCore
import SecretctlCrypto
import Testing

/// The Aho-Corasick matcher against a naive search, dense and hybrid, whole and chunked.
struct ScanMatcherTests {
    /// A small deterministic generator (tests must not depend on the system RNG).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func bytes(_ count: Int, alphabet: [UInt8]) -> [UInt8] { (0..<count).map { _ in alphabet[below(alphabet.count)] } }
    }

    /// Every (needle, end index) pair, found by brute force.
    static func naive(_ needles: [[UInt8]], in text: [UInt8]) -> Set<[Int]> {
        var found = Set<[Int]>()
        for (index, needle) in needles.enumerated() where needle.count <= text.count {
            for start in 0...(text.count - needle.count) where text[start..<start + needle.count].elementsEqual(needle) {
                found.insert([index, start + needle.count - 1])
            }
        }
        return found
    }

    static func matches(_ matcher: MultiPatternMatcher, in text: [UInt8], chunk: Int) -> Set<[Int]> {
        var found = Set<[Int]>()
        var state: UInt32 = 0
        var offset = 0
        text.withUnsafeBytes { all in
            while offset < all.count {
                let end = min(all.count, offset + chunk)
                let base = offset
                state = matcher.scan(UnsafeRawBufferPointer(rebasing: all[offset..<end]), from: state) { index, ending in
                    matcher.forEachNeedle(endingIn: ending) { found.insert([$0, base + index]) }
                }
                offset = end
            }
        }
        return found
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var seed: UInt64
        var denseBudget: Int
        var chunk: Int
        var testDescription: String { "seed \(seed), budget \(denseBudget), chunk \(chunk)" }
    }

    static let cases: [Case] = [
        Case(seed: 1, denseBudget: MultiPatternMatcher.defaultDenseBudget, chunk: 1 << 20),
        Case(seed: 2, denseBudget: MultiPatternMatcher.defaultDenseBudget, chunk: 1),
        Case(seed: 3, denseBudget: MultiPatternMatcher.defaultDenseBudget, chunk: 7),
        // Tiny budgets force the hybrid automaton: dense root only, or a few levels.
        Case(seed: 4, denseBudget: 1, chunk: 1 << 20),
        Case(seed: 5, denseBudget: 1, chunk: 3),
        Case(seed: 6, denseBudget: 4 * 6 * 40, chunk: 13),
    ]

    @Test("finds exactly what a naive search finds", arguments: cases)
    func agreesWithNaiveSearch(_ testCase: Case) {
        var random = Generator(state: testCase.seed)
        // A three-letter alphabet makes needles overlap, share prefixes and contain each other.
        let alphabet = Array("abc".utf8)
        var needles: [[UInt8]] = []
        for _ in 0..<40 {
            let candidate = random.bytes(1 + random.below(9), alphabet: alphabet)
            if !needles.contains(candidate) { needles.append(candidate) }
        }
        let text = random.bytes(5000, alphabet: alphabet + Array("xyz".utf8))
        let matcher = MultiPatternMatcher(needles: needles.map { SecureBytes(copying: $0) }, denseBudget: testCase.denseBudget)
        let expected = Self.naive(needles, in: text)
        #expect(!expected.isEmpty, "the generated text should contain some needles")
        #expect(Self.matches(matcher, in: text, chunk: testCase.chunk) == expected)
    }

    @Test("any byte value can be searched for, binary input included", arguments: [MultiPatternMatcher.defaultDenseBudget, 1])
    func binaryNeedles(denseBudget: Int) {
        var random = Generator(state: 99)
        let all = (0...255).map { UInt8($0) }.filter { $0 != 0x0A && $0 != 0x0D }
        let needles = (0..<20).map { _ in random.bytes(8 + random.below(8), alphabet: all) }
        var text = random.bytes(20_000, alphabet: all)
        for (index, needle) in needles.enumerated() where index % 2 == 0 {
            let at = random.below(text.count - needle.count)
            text.replaceSubrange(at..<at + needle.count, with: needle)
        }
        let matcher = MultiPatternMatcher(needles: needles.map { SecureBytes(copying: $0) }, denseBudget: denseBudget)
        let found = Self.matches(matcher, in: text, chunk: 4096)
        #expect(found == Self.naive(needles, in: text))
        #expect(Set(found.map { $0[0] }).count >= 10, "every planted needle is found")
    }

    @Test("long chunks, scanned as two interleaved halves, agree with a naive search", arguments: [(7, 1 << 20), (8, 40_000), (9, 16_384)])
    func interleaved(seed: UInt64, chunk: Int) {
        var random = Generator(state: seed)
        let alphabet = Array("abcd".utf8)
        var needles: [[UInt8]] = []
        for _ in 0..<30 {
            let candidate = random.bytes(6 + random.below(10), alphabet: alphabet)
            if !needles.contains(candidate) { needles.append(candidate) }
        }
        var text = random.bytes(120_000, alphabet: alphabet + Array("wxyz".utf8))
        // Values across every boundary that matters: chunk middles and chunk ends.
        for center in stride(from: chunk / 2, to: text.count, by: chunk / 2) {
            let needle = needles[random.below(needles.count)]
            let start = max(0, center - needle.count / 2)
            if start + needle.count <= text.count { text.replaceSubrange(start..<start + needle.count, with: needle) }
        }
        let matcher = MultiPatternMatcher(needles: needles.map { SecureBytes(copying: $0) })
        #expect(Self.matches(matcher, in: text, chunk: chunk) == Self.naive(needles, in: text))
    }

    @Test("an empty needle set matches nothing")
    func emptySet() {
        let matcher = MultiPatternMatcher(needles: [])
        #expect(Self.matches(matcher, in: Array("anything at all".utf8), chunk: 4).isEmpty)
        #expect(matcher.stateCount == 1)
    }

    @Test("the matcher never prints its tables")
    func redacted() {
        let matcher = MultiPatternMatcher(needles: [SecureBytes(copying: Array("supersecretvalue".utf8))])
        #expect(!String(describing: matcher).contains("supersecret"))
        #expect(String(describing: matcher).contains("<redacted>"))
    }
}
