import SecretctlCore
import SecretctlCrypto
import Testing

/// One dotenv text and what `DotenvParser` must read from it.
struct DotenvParseCase: Sendable, CustomTestStringConvertible {
    let label: String
    let text: String
    let expected: [(String, String)]
    /// Whether python-dotenv reads the same (when false, the difference is documented in `label`).
    let pythonAgrees: Bool

    init(_ label: String, _ text: String, _ expected: [(String, String)], pythonAgrees: Bool = true) {
        self.label = label
        self.text = text
        self.expected = expected
        self.pythonAgrees = pythonAgrees
    }

    var testDescription: String { label }

    static let all: [DotenvParseCase] = [
        .init("plain", "A=1", [("A", "1")]),
        .init("export prefix", "export A=1\nexport\tB=2", [("A", "1"), ("B", "2")]),
        .init("a name that is the word export", "export=1", [("export", "1")]),
        .init("blanks around =", "A = 1 \nB\t=\t2\t", [("A", "1"), ("B", "2")]),
        .init("comment after a blank is cut", "A=x #c\nB=y\t# c", [("A", "x"), ("B", "y")]),
        .init("# without a blank before it is part of the value", "A=x#c\nB=#c", [("A", "x#c"), ("B", "#c")]),
        .init("empty values", "A=\nB=''\nC=\"\"", [("A", ""), ("B", ""), ("C", "")]),
        .init("single quotes are literal", #"A='lit $x \n "q" #no ${Y}'"#, [("A", #"lit $x \n "q" #no ${Y}"#)]),
        .init("double-quote escapes", #"A="l1\nl2\tt\"q\" \\ \r end""#, [("A", "l1\nl2\tt\"q\" \\ \r end")]),
        .init("double-quoted value over several lines", "A=\"l1\nl2\n\"\nB=2", [("A", "l1\nl2\n"), ("B", "2")]),
        .init("single-quoted value over several lines", "A='l1\nl2'\nB=2", [("A", "l1\nl2"), ("B", "2")]),
        .init("CRLF line breaks, also inside quotes", "A=1\r\nB=\"x\r\ny\"\r\nC='p\r\nq'\r\n", [("A", "1"), ("B", "x\ny"), ("C", "p\nq")]),
        .init("comments and blank lines", "# top\n\n   # indented\n\nA=1\n\n# end\n", [("A", "1")]),
        .init("comment after a closing quote", "A=\"x\" # c\nB='y'#c", [("A", "x"), ("B", "y")]),
        .init("unquoted: leading and trailing blanks trimmed", "A=   spaced value  \t", [("A", "spaced value")]),
        .init("unquoted: quotes and backslashes inside are literal", #"A=a'b"c\d\n"#, [("A", #"a'b"c\d\n"#)]),
        .init("no interpolation", "A=${B}-$C", [("A", "${B}-$C")]),
        .init("Kubernetes key names", "tls.crt=x\nmy-key=y\n_U=z", [("tls.crt", "x"), ("my-key", "y"), ("_U", "z")]),
        .init("UTF-8 text", "A=héllo ✓ 🎉\nB=\"ünï\tcödé\"", [("A", "héllo ✓ 🎉"), ("B", "ünï\tcödé")]),
        .init("= and quotes inside values", "A=x=y=z\nB=\"it's\"\nC='say \"hi\"'", [("A", "x=y=z"), ("B", "it's"), ("C", "say \"hi\"")]),
        .init("no final line break", "A=1\nB=\"2\"", [("A", "1"), ("B", "2")]),
        .init("\\$ in double quotes is $ (python-dotenv keeps the backslash)", #"A="a\$b""#, [("A", "a$b")], pythonAgrees: false),
        .init("a UTF-8 byte-order mark is skipped (python-dotenv keeps it in the name)", "\u{FEFF}A=1", [("A", "1")], pythonAgrees: false),
        .init("old Mac CR line breaks", "A=1\rB=2\r", [("A", "1"), ("B", "2")]),
    ]
}

/// A dotenv text `DotenvParser` refuses, and the line it must name.
struct DotenvRefusalCase: Sendable, CustomTestStringConvertible {
    let label: String
    let text: String
    let line: Int
    let fragment: String

    init(_ label: String, _ text: String, line: Int, _ fragment: String) {
        self.label = label
        self.text = text
        self.line = line
        self.fragment = fragment
    }

    var testDescription: String { label }

    /// A stand-in secret placed in every refused text: no error may repeat it.
    static let marker = "hunter2-s3cr3t"

    static let all: [DotenvRefusalCase] = [
        .init("a bare word", "A=1\n\(marker)", line: 2, "expected NAME=value"),
        .init("a name without =", "\(marker)\n", line: 1, "expected NAME=value"),
        .init("a blank inside the name", "MY \(marker)=1", line: 1, "expected NAME=value"),
        .init("no name", "=\(marker)", line: 1, "name before '=' is missing"),
        .init("a name that is not a Secret key", "A!B=\(marker)", line: 1, "not a valid Kubernetes Secret key"),
        .init("unclosed double quote", "A=1\n\nB=\"\(marker)\nmore", line: 3, "never closed"),
        .init("unclosed single quote", "A='\(marker)", line: 1, "never closed"),
        .init("text after the closing quote", "A=\"\(marker)\" junk", line: 1, "after the closing quote"),
        .init("unknown escape", "A=\"\(marker)\\q\"", line: 1, "unsupported escape"),
        .init("python's \\' escape in double quotes", "A=\"\(marker)\\'\"", line: 1, "unsupported escape"),
        .init("\\\\ inside single quotes", "A='\(marker)\\\\x'", line: 1, "single quotes"),
        .init("\\' inside single quotes", "A='it\\'s \(marker)'", line: 1, "single quotes"),
        .init("a value starting with # after a blank", "A= #\(marker)", line: 1, "starts with '#'"),
        .init("escape on a later line of a multi-line value", "A=\"\(marker)\nx\\q\"", line: 2, "unsupported escape"),
    ]
}

/// `DotenvParser`: what it reads, what it refuses, and that errors never show the text.
struct DotenvParserTests {
    private func parse(_ text: String) throws(DotenvSyntaxError) -> [(String, String)] {
        try DotenvParser.parse(SecureBytes(copying: Array(text.utf8))).map { entry in
            (entry.name, entry.value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
        }
    }

    @Test(arguments: DotenvParseCase.all)
    func readsTheValue(_ testCase: DotenvParseCase) throws {
        let parsed = try parse(testCase.text)
        #expect(parsed.map(\.0) == testCase.expected.map(\.0), "names, in file order")
        #expect(parsed.map(\.1) == testCase.expected.map(\.1), "values")
    }

    /// python-dotenv, the backend's reader, reads the same values from the same file.
    @Test(arguments: DotenvParseCase.all.filter(\.pythonAgrees))
    func pythonDotenvReadsTheSame(_ testCase: DotenvParseCase) throws {
        let python = try PythonDotenv.values(of: Array(testCase.text.utf8), interpolate: false)
        let expected = Dictionary(uniqueKeysWithValues: testCase.expected.map { ($0.0, Optional($0.1)) })
        #expect(python == expected)
    }

    /// The documented differences really are differences (so the list stays true).
    @Test(arguments: DotenvParseCase.all.filter { !$0.pythonAgrees })
    func documentedDifferencesFromPythonDotenv(_ testCase: DotenvParseCase) throws {
        let python = try PythonDotenv.values(of: Array(testCase.text.utf8), interpolate: false)
        let expected = Dictionary(uniqueKeysWithValues: testCase.expected.map { ($0.0, Optional($0.1)) })
        #expect(python != expected)
    }

    @Test(arguments: DotenvRefusalCase.all)
    func refusesNamingTheLineButNotTheText(_ testCase: DotenvRefusalCase) {
        do {
            let parsed = try parse(testCase.text)
            Issue.record("expected a refusal, read \(parsed.count) entries")
        } catch {
            #expect(error.line == testCase.line)
            #expect(error.reason.contains(testCase.fragment), "reason: \(error.reason)")
            #expect(!error.description.contains(DotenvRefusalCase.marker), "the error repeats the file's text: \(error)")
            #expect(!error.description.contains("hunter"), "the error repeats part of the file's text: \(error)")
        }
    }

    @Test func emptyAndCommentOnlyFilesHoldNothing() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("# only a comment\n\n  \n").isEmpty)
    }

    @Test func entriesRememberTheLineTheyStartOn() throws {
        let entries = try DotenvParser.parse(SecureBytes(copying: Array("# c\nA=1\nB=\"x\ny\"\nC=3\n".utf8)))
        #expect(entries.map(\.line) == [2, 3, 5])
    }

    @Test func valuesAreRedactedWhenPrinted() throws {
        let entries = try DotenvParser.parse(SecureBytes(copying: Array("A=\(DotenvRefusalCase.marker)".utf8)))
        let entry = try #require(entries.first, "one entry")
        #expect("\(entry.value)" == "<redacted>")
        #expect(!String(describing: entry).contains(DotenvRefusalCase.marker))
    }

    @Test func bytesThatAreNotUTF8AreKeptExactly() throws {
        let entries = try DotenvParser.parse(SecureBytes(copying: Array("A=".utf8) + [0xFF, 0xFE, 0x80] + Array("\n".utf8)))
        let entry = try #require(entries.first, "one entry")
        #expect(entry.value.withUnsafeBytes { Array($0) } == [0xFF, 0xFE, 0x80])
    }
}
