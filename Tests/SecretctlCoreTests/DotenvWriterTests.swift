import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// `DotenvWriter` and `JSONSecretWriter`: every text value survives a round trip through
/// secretctl's own reader, python-dotenv and a JSON parser.
struct DotenvWriterTests {
    /// Values chosen to break naive quoting.
    static let values: [String] = [
        "plain",
        "",
        #"with "double" quotes"#,
        "it's 'single'",
        "line1\nline2\n",
        "crlf\r\nend\r",
        #"$HOME $1 \$x $"#,
        "#hash # and space #",
        #"back\slash\\double\"#,
        "  leading and trailing  ",
        "tab\there\t",
        "ünïcödé ✓ 🎉",
        "=equals=signs=",
        #"\n is a backslash and an n"#,
        "`backticks` and (parens) ; & | < > * ?",
        "control \u{01}\u{1B}[0m\u{7F} bytes",
        "postgres://user:p%40ss@db.example.com:5432/todo?sslmode=require",
        "NUL \u{0} inside",
        #"ends with a backslash\"#,
        #"#starts with a hash and ends with a backslash\"#,
        #"\"#,
    ]

    /// The same value at both ends: the writer's text read back by `DotenvParser`.
    @Test(arguments: values)
    func ownReaderReadsBackTheSameBytes(_ value: String) throws {
        let text = try DotenvWriter.write([(name: "KEY", value: Self.secret(value)), (name: "after", value: Self.secret("x"))])
        let entries = try DotenvParser.parse(text)
        #expect(entries.map(\.name) == ["KEY", "after"])
        #expect(entries.first?.value.withUnsafeBytes { Array($0) } == Array(value.utf8))
        #expect(entries.last?.value.withUnsafeBytes { Array($0) } == Array("x".utf8), "the next line is not swallowed")
    }

    @Test(arguments: values)
    func pythonDotenvReadsBackTheSameValue(_ value: String) throws {
        let text = try DotenvWriter.write([(name: "KEY", value: Self.secret(value)), (name: "after", value: Self.secret("x"))])
        let bytes = text.withUnsafeBytes { Array($0) }
        #expect(try PythonDotenv.values(of: bytes, interpolate: false) == ["KEY": value, "after": "x"])
        // Without '${' there is nothing to interpolate, so python-dotenv's default reads the same.
        #expect(try PythonDotenv.values(of: bytes, interpolate: true) == ["KEY": value, "after": "x"])
    }

    /// python-dotenv expands `${...}` in every quoting style unless interpolation is off:
    /// the writer cannot prevent it, so it says so (and `export` warns).
    @Test func interpolationIsTheOneThingPythonDotenvChangesByDefault() throws {
        let value = "pre-${SECRETCTL_TEST_UNSET_VARIABLE}-post"
        let text = try DotenvWriter.write([(name: "KEY", value: Self.secret(value))])
        let bytes = text.withUnsafeBytes { Array($0) }
        #expect(try PythonDotenv.values(of: bytes, interpolate: false) == ["KEY": value])
        #expect(try PythonDotenv.values(of: bytes, interpolate: true) == ["KEY": "pre--post"])
        #expect(DotenvWriter.needsInterpolationWarning(Self.secret(value)))
        #expect(!DotenvWriter.needsInterpolationWarning(Self.secret("$HOME {x} $")))
    }

    /// python-dotenv's quoted-value pattern mistakes `\\"` at the end for an escaped quote.
    /// Values ending in a backslash are written bare when they can be; the rest are flagged.
    @Test(arguments: [
        ("two\nlines\\", true),
        ("tab\tthen\\", true),
        ("ünï\\", true),
        ("a #comment-like\\", true),
        (" leading blank\\", true),
        ("plain path C:\\dir\\", false),
        ("no backslash at the end", false),
    ])
    func valuesEndingInABackslash(_ value: String, _ misread: Bool) throws {
        let secret = Self.secret(value)
        #expect(DotenvWriter.pythonDotenvMisreads(secret) == misread)
        let text = try DotenvWriter.write([(name: "KEY", value: secret), (name: "after", value: Self.secret("x"))])
        #expect(try DotenvParser.parse(text).first?.value.withUnsafeBytes { Array($0) } == Array(value.utf8), "secretctl reads it back either way")
        let python = try PythonDotenv.values(of: text.withUnsafeBytes { Array($0) }, interpolate: false)
        #expect((python != ["KEY": value, "after": "x"]) == misread, "python-dotenv read: \(python)")
    }

    @Test func linesAreDoubleQuotedInTheGivenOrder() throws {
        let text = try DotenvWriter.write([(name: "B", value: Self.secret("say \"hi\"\n")), (name: "A", value: Self.secret("1"))])
        #expect(text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "B=\"say \\\"hi\\\"\\n\"\nA=\"1\"\n")
    }

    @Test func bytesThatAreNotUTF8AreRefusedNamingTheEntry() {
        let value = SecretValue(SecureBytes(copying: [0x61, 0xFF, 0x62]))
        #expect(throws: SecretctlError.self) { try DotenvWriter.write([(name: "BINARY_KEY", value: value)]) }
        do {
            _ = try JSONSecretWriter.write([(name: "BINARY_KEY", value: value)])
            Issue.record("JSON accepted bytes that are not UTF-8")
        } catch {
            #expect(error.message.contains("BINARY_KEY"))
            #expect(error.message.contains("UTF-8"))
        }
    }

    @Test(arguments: [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] as [[UInt8]])
    func overlongSurrogateAndTruncatedSequencesAreNotUTF8(_ bytes: [UInt8]) {
        #expect(!SecretText.isUTF8(SecureBytes(copying: bytes)))
    }

    // MARK: - JSON

    @Test func jsonIsAnObjectOfNamesToStrings() throws {
        let pairs = Self.values.enumerated().map { (name: "K\($0.offset)", value: Self.secret($0.element)) }
        let text = try JSONSecretWriter.write(pairs)
        let data = text.withUnsafeBytes { Data($0) }
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String], "a JSON object of strings")
        let expected = Dictionary(uniqueKeysWithValues: Self.values.enumerated().map { ("K\($0.offset)", $0.element) })
        #expect(object == expected)
    }

    @Test func jsonOfNothingIsAnEmptyObject() throws {
        #expect(try JSONSecretWriter.write([]).withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "{}\n")
    }

    @Test func jsonLayout() throws {
        let text = try JSONSecretWriter.write([(name: "A", value: Self.secret("x\"y")), (name: "B", value: Self.secret("\u{1}"))])
        #expect(text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == "{\n  \"A\": \"x\\\"y\",\n  \"B\": \"\\u0001\"\n}\n")
    }

    static func secret(_ text: String) -> SecretValue { SecretValue(SecureBytes(copying: Array(text.utf8))) }
}
