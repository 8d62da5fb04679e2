import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// Redacting kubectl's error text: one multi-pattern pass, the union of every match, so a
/// value inside another (an old secret inside a versioned list, a password inside a URL)
/// cannot leave the rest of the longer one in clear, whatever order the values come in.
struct ScanRedactorTests {
    static let newSecret = "Zq8wX3mT5vN1bR7kL2pC9dF4hJ6sG0aE"
    static let oldSecret = "Yh2kM8nB4vC6xZ1qW3eR5tY7uI9oP0aS"
    static let password = "s3cr3t-Pa55word"
    static let url = "postgres://todo:\(password)@ep-cool-1.neon.tech/todo?sslmode=require"

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var values: [String]
        var text: String
        /// Strings that must not survive.
        var hidden: [String]
        var testDescription: String { name }
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static let cases: [Case] = [
        Case(name: "list after its old component",
             values: [oldSecret, "2:\(newSecret),1:\(oldSecret)"],
             text: "Error: BETTER_AUTH_SECRETS: raw=2:\(newSecret),1:\(oldSecret)",
             hidden: [newSecret, oldSecret, String(newSecret.prefix(8)), String(newSecret.suffix(8))]),
        Case(name: "a list component echoed alone",
             values: ["2:\(newSecret),1:\(oldSecret)"],
             text: "webhook denied: secret \(newSecret) is weak",
             hidden: [newSecret]),
        Case(name: "password before its URL",
             values: [password, url],
             text: "error: DATABASE_URL=\(url) rejected",
             hidden: [password, "ep-cool-1.neon.tech", "sslmode=require", "todo:"]),
        Case(name: "base64 of a list",
             values: [oldSecret, "2:\(newSecret),1:\(oldSecret)"],
             text: "data.BETTER_AUTH_SECRETS: \"\(base64("2:\(newSecret),1:\(oldSecret)"))\"",
             hidden: [base64("2:\(newSecret),1:\(oldSecret)"), String(base64("2:\(newSecret),1:\(oldSecret)").prefix(12))]),
        Case(name: "percent-encoded password",
             values: ["p@ss w/rd:long"],
             text: "url=postgres://u:p%40ss%20w%2Frd%3Along@host",
             hidden: ["p%40ss%20w%2Frd%3Along"]),
        Case(name: "hex and JSON escapes",
             values: ["line1\nline2\"quoted\""],
             text: "a: \"line1\\nline2\\\"quoted\\\"\" b: \(Data("line1\nline2\"quoted\"".utf8).map { String(format: "%02x", $0) }.joined())",
             hidden: ["line1\\nline2", "6c696e6531"]),
        Case(name: "nothing to hide", values: [password], text: "nothing to hide here", hidden: []),
    ]

    @Test(arguments: cases)
    func everyFormOfEveryValueIsHidden(_ example: Case) {
        let values = example.values.map { SecretValue(SecureBytes(copying: Array($0.utf8))) }
        let redacted = Kubectl.redact(example.text, values: values)
        for secret in example.hidden {
            #expect(!redacted.contains(secret), "'\(secret)' survived: \(redacted)")
        }
        if example.hidden.isEmpty { #expect(redacted == example.text) } else { #expect(redacted.contains("<redacted>")) }
    }

    /// Any order of the values gives the same text.
    @Test func theResultDoesNotDependOnTheOrderOfTheValues() {
        let values = [Self.password, Self.url, Self.oldSecret, "2:\(Self.newSecret),1:\(Self.oldSecret)"]
            .map { SecretValue(SecureBytes(copying: Array($0.utf8))) }
        let text = "a \(Self.url) b 2:\(Self.newSecret),1:\(Self.oldSecret) c \(Self.password)"
        let forward = Kubectl.redact(text, values: values)
        #expect(forward == "a <redacted> b <redacted> c <redacted>")
        #expect(Kubectl.redact(text, values: values.reversed()) == forward)
    }

    /// A long value (a certificate, say) echoed as wrapped base64 leaves no stretch of it in clear.
    @Test func aLongValueInWrappedBase64LeavesNothing() throws {
        let value = try SecureRandom.bytes(3000)
        let encoded = Data(value).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        let redacted = Kubectl.redact("tls.crt: |\n\(encoded)\nend", values: [SecretValue(SecureBytes(copying: value))])
        let lines = encoded.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { !redacted.contains($0.prefix(12)) }, "a piece of the base64 survived:\n\(redacted)")
        #expect(redacted.hasPrefix("tls.crt: |\n<redacted>") && redacted.hasSuffix("\nend"), "\(redacted)")
    }
}
