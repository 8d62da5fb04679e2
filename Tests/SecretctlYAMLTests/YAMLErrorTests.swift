import SecretctlYAML
import Testing

/// Errors say what and where, never what the input held.
struct YAMLErrorTests {
    static let needle = "sk-live-HUNTER2-needle"

    @Test("a broken document gives its line and column and never its text", arguments: [
        ("password: \"\(needle)\n", 2, "found unexpected end of stream"),
        ("a: [\(needle)\n", 2, "did not find expected ',' or ']'"),
        ("a: 1\n\tb: \(needle)\n", 2, "found a tab character that violates indentation"),
        ("a: 1\n@b: \(needle)\n", 2, "found character that cannot start any token"),
        ("a:\n  b: \(needle)\n c: x\n", 3, "did not find expected key"),
        ("key: \(needle): more\n", 1, "mapping values are not allowed in this context"),
        ("a: '\(needle)\n", 2, "found unexpected end of stream"),
        ("a: \(needle)\u{1}\n", 1, "control characters are not allowed"),
        ("%YAML 9.9\n--- \(needle)\n", 1, "found incompatible YAML document"),
        ("a: !<\(needle) x\n", 1, "did not find the expected '>'"),
    ])
    func brokenDocuments(text: String, line: Int, problem: String) throws {
        let error = try YAMLTestSupport.error(text)
        #expect(error.mark.line == line, "\(error)")
        #expect(error.mark.column >= 1)
        #expect(error.problem == problem, "\(error)")
        #expect(!"\(error)".contains(Self.needle), "the error shows the input: \(error)")
        #expect(!"\(error)".contains("HUNTER2"))
        #expect("\(error)".hasPrefix("line \(line), column \(error.mark.column): \(problem)"))
    }

    @Test func aContextGivesWhereTheBrokenNodeStarted() throws {
        let error = try YAMLTestSupport.error("a: 1\nb: \"\(Self.needle)\n\n")
        #expect(error.context == "while scanning a quoted scalar")
        #expect(error.contextMark == YAMLMark(line: 2, column: 4))
        #expect("\(error)" == "line 4, column 1: found unexpected end of stream (while scanning a quoted scalar at line 2, column 4)")
    }

    @Test("bytes that are not UTF-8 are refused at their line and column", arguments: [
        (Array("a: 1\nb: x".utf8) + [0xFF], 2, 5),
        (Array("é: ".utf8) + [0xC3, 0x28], 1, 5), // libyaml points at the bad trailing byte
        ([0xFE, 0xFF, 0x00, 0x61], 1, 1),
    ])
    func invalidUTF8(bytes: [UInt8], line: Int, column: Int) throws {
        let error = try YAMLTestSupport.error(bytes: bytes)
        #expect(error.mark == YAMLMark(line: line, column: column), "\(error)")
        #expect(error.problem.contains("UTF-8") || error.problem.contains("control"), "\(error)")
    }

    @Test func aDuplicateKeyIsNotNamed() throws {
        let error = try YAMLTestSupport.error("\(Self.needle): 1\n\(Self.needle): 2\n")
        #expect(!"\(error)".contains(Self.needle))
        #expect(error.mark == YAMLMark(line: 2, column: 1))
    }

    @Test func bytesAreReadWhereTheyLieAndNoBytesAreNoDocuments() throws {
        let bytes = Array("kind: Secret\nstringData: {A: \"x\"}\n".utf8)
        let documents = try bytes.withUnsafeBytes { (raw) throws(YAMLError) in try YAMLLoader.load(bytes: raw) }
        #expect(documents.first?["stringData"]?["A"]?.string == "x")
        let empty = try [UInt8]().withUnsafeBytes { (raw) throws(YAMLError) in try YAMLLoader.load(bytes: raw) }
        #expect(empty.isEmpty)
    }
}
