import SecretctlCore
import SecretctlCrypto
import Testing

/// Line numbers, wrapped values and chunk boundaries in `StreamScanner`.
struct ScanStreamTests {
    static let needle = Array("Zq8Tm3Wx1V5bN7cK".utf8)

    static func hits(_ text: String, chunk: Int, needles: [[UInt8]] = [needle]) -> [ScanHit] {
        let matcher = MultiPatternMatcher(needles: needles.map { SecureBytes(copying: $0) })
        var scanner = StreamScanner(matcher: matcher)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(all.count, offset + chunk)
                scanner.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]), isLast: end == all.count)
                offset = end
            }
        }
        return scanner.hits
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int
        var wrapped: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "first line", text: "Zq8Tm3Wx1V5bN7cK\n", line: 1, wrapped: false),
        Case(name: "third line", text: "a\nb\nxx Zq8Tm3Wx1V5bN7cK yy\n", line: 3, wrapped: false),
        Case(name: "wrapped once", text: "one\ntwo Zq8Tm3Wx\n1V5bN7cK\n", line: 2, wrapped: true),
        Case(name: "wrapped with CRLF", text: "one\r\nZq8Tm3\r\nWx1V5b\r\nN7cK\r\n", line: 2, wrapped: true),
    ]

    @Test("reports the line where the value starts", arguments: cases, [1, 2, 5, 4096])
    func lineNumbers(_ testCase: Case, chunk: Int) throws {
        let found = Self.hits(testCase.text, chunk: chunk)
        let hit = try #require(found.first, "no hit in \(testCase.name)")
        #expect(found.count == 1)
        #expect(hit.line == testCase.line)
        #expect(hit.wrapped == testCase.wrapped)
    }

    @Test("line breaks after a match do not report it again", arguments: [1, 3, 4096])
    func noRepeatAfterBreak(chunk: Int) {
        let found = Self.hits("Zq8Tm3Wx1V5bN7cK\n\r\n\n\nZq8Tm3Wx1V5bN7cK", chunk: chunk)
        #expect(found.map(\.line) == [1, 5])
    }

    @Test("a line break at the start of a value is not part of it")
    func breakBeforeValue() throws {
        let found = Self.hits("abc\n\nZq8Tm3Wx1V5bN7cK", chunk: 2)
        #expect(try #require(found.first).line == 3)
        #expect(found.first?.wrapped == false)
    }

    @Test("a value with line breaks of its own matches where it starts")
    func valueWithBreaks() throws {
        let pem = Array("-----BEGIN KEY-----\nMIIBVQIBADANBgkq\n-----END KEY-----".utf8)
        let found = Self.hits("x\ny\n-----BEGIN KEY-----\nMIIBVQIBADANBgkq\n-----END KEY-----\n", chunk: 5, needles: [pem])
        #expect(try #require(found.first).line == 3)
    }

    @Test("lines are counted across many chunks of a long input")
    func longInput() throws {
        var text = String(repeating: "filler line of text\n", count: 70_000)
        text += "value=Zq8Tm3Wx1V5bN7cK\n"
        let found = Self.hits(text, chunk: 1 << 20)
        #expect(try #require(found.first).line == 70_001)
    }
}
