import SecretctlCore
import SecretctlCrypto
import Testing

/// `ImportReader`: format detection and the rules every import file must meet.
struct ImportReaderTests {
    static let marker = "hunter2-s3cr3t"

    @Test(arguments: [
        ("A=1\n", ImportFormat.env),
        ("# comment\n\nexport A=1\n", .env),
        ("A=\"x: y\"\n", .env),
        ("URL=http://host:80\n", .env),
        ("", .env),
        ("apiVersion: v1\nkind: Secret\n", .secret),
        ("# header comment\n---\nkind: Secret\n", .secret),
        ("kind: Secret\n", .secret),
        ("metadata:\n  name: x\nkind: Secret\n", .secret),
        ("{\"kind\":\"Secret\"}", .secret),
        ("\u{FEFF}apiVersion: v1\n", .secret),
        ("  \t\n   apiVersion: v1\n", .secret),
    ])
    func formatIsDetectedFromTheContent(_ text: String, _ format: ImportFormat) {
        #expect(Array(text.utf8).withUnsafeBytes { ImportFormat.detect($0) } == format)
    }

    @Test func dotenvEntriesKeepTheirLine() throws {
        let result = try ImportReader.read(SecureBytes(copying: Array("# c\nA=1\nB=2\n".utf8)), source: ".env", format: nil, allowEmpty: false)
        #expect(result.format == .env)
        #expect(result.entries.map(\.name) == ["A", "B"])
        #expect(result.entries.map(\.origin) == ["line 2", "line 3"])
    }

    @Test func anExplicitFormatOverridesDetection() throws {
        // Read as a dotenv file, "kind: Secret" is a line without '='.
        #expect(throws: SecretctlError.self) {
            try ImportReader.read(SecureBytes(copying: Array("kind: Secret\n".utf8)), source: "f", format: .env, allowEmpty: false)
        }
    }

    @Test(arguments: [
        ("A=\(marker)\nB=2\nA=\(marker)x\n", "A (line 1 and line 3)", "more than once"),
        ("A=\nB=2\n", "A (line 1)", "empty values"),
        ("# nothing\n", "holds no values", "holds no values"),
        ("A=\(marker)\n\(marker)\n", "line 2", "expected NAME=value"),
    ])
    func refusals(_ text: String, _ detail: String, _ fragment: String) {
        do {
            let result = try ImportReader.read(SecureBytes(copying: Array(text.utf8)), source: ".env", format: nil, allowEmpty: false)
            Issue.record("expected a refusal, read \(result.entries.map(\.name))")
        } catch {
            #expect(error.code == .usage)
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.message.contains(detail), "\(error.message)")
            #expect(!error.message.contains(Self.marker) && !(error.hint ?? "").contains(Self.marker), "a value was shown: \(error)")
        }
    }

    @Test func aValueOverOneMebibyteIsRefusedAndExactlyOneMebibyteIsNot() throws {
        let exact = Array("A=".utf8) + Array(repeating: UInt8(ascii: "x"), count: 1 << 20)
        #expect(try ImportReader.read(SecureBytes(copying: exact), source: "f", format: nil, allowEmpty: false).entries.first?.value.count == 1 << 20)
        let over = exact + [UInt8(ascii: "x")]
        #expect(throws: SecretctlError.self) {
            try ImportReader.read(SecureBytes(copying: over), source: "f", format: nil, allowEmpty: false)
        }
    }

    @Test func emptyValuesPassWithAllowEmpty() throws {
        let result = try ImportReader.read(SecureBytes(copying: Array("A=\n".utf8)), source: "f", format: nil, allowEmpty: true)
        #expect(result.entries.first?.value.isEmpty == true)
    }
}
