import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// The forms a value is searched in, checked against Foundation's encoders.
struct ScanNeedleTests {
    static let values: [String] = [
        "q8Zt3mW1xV5bN7cK2pR9sL4dF6gH0jA1eY3uI5oP7aS=",
        "postgresql://todo:p@ss w0rd!@db.internal:5432/todo?sslmode=require",
        "sk-proj-\"quoted\"\\back/slash\ttab",
        "pässwörd-ünïcödé-1234",
    ]

    static func forms(_ value: String) -> [NeedleForm: String] {
        var result: [NeedleForm: String] = [:]
        Array(value.utf8).withUnsafeBytes { raw in
            for (form, bytes) in NeedleEncoder.forms(of: raw) {
                result[form] = bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            }
        }
        return result
    }

    /// A form's text, or the expected text when an earlier form already has those bytes
    /// (identical forms are kept once, under the earlier form).
    static func text(_ forms: [NeedleForm: String], _ form: NeedleForm, expected: String) -> String? {
        if let text = forms[form] { return text }
        return forms.values.contains(expected) ? expected : nil
    }

    @Test("base64 and base64url, padded and unpadded", arguments: values)
    func base64(_ value: String) throws {
        let forms = Self.forms(value)
        let standard = Data(value.utf8).base64EncodedString()
        let url = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        for (form, expected) in [
            (NeedleForm.base64, standard), (.base64Unpadded, standard.replacingOccurrences(of: "=", with: "")),
            (.base64URL, url), (.base64URLUnpadded, url.replacingOccurrences(of: "=", with: "")),
        ] {
            #expect(Self.text(forms, form, expected: expected) == expected, "\(form.label)")
        }
    }

    @Test("the blob forms occur in base64 of the value inside other bytes, at every offset", arguments: values)
    func base64Blob(_ value: String) throws {
        let forms = Self.forms(value)
        for prefix in 0..<9 {
            let data = Data((0..<prefix).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }) + Data(value.utf8) + Data([0xFF, 0x00, 0x7F])
            let encoded = data.base64EncodedString()
            let alignment = prefix % 3
            // The stable middle keeps nearly every character; it may coincide with another form.
            let minimum = value.utf8.count * 4 / 3 - 2
            #expect(forms.values.contains { $0.count >= minimum && encoded.contains($0) }, "prefix \(prefix)")
            let urlEncoded = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(forms.values.contains { $0.count >= minimum && urlEncoded.contains($0) }, "prefix \(prefix), URL-safe")
            if let middle = forms[.base64Blob(alignment: alignment)] { #expect(encoded.contains(middle)) }
        }
    }

    @Test("percent-encoded and hex", arguments: values)
    func percentAndHex(_ value: String) {
        let forms = Self.forms(value)
        var unreserved = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        unreserved.insert(charactersIn: "-._~")
        let strict = value.addingPercentEncoding(withAllowedCharacters: unreserved)!
        #expect(Self.text(forms, .percentEncoded, expected: strict) == strict)
        var component = unreserved
        component.insert(charactersIn: "!'()*")
        let componentText = value.addingPercentEncoding(withAllowedCharacters: component)!
        #expect(Self.text(forms, .percentComponent, expected: componentText) == componentText)
        let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let all = value.addingPercentEncoding(withAllowedCharacters: letters)!
        #expect(Self.text(forms, .percentEncodedAll, expected: all) == all)
        let hex = value.utf8.map { String(format: "%02x", $0) }.joined()
        #expect(forms[.hex] == hex)
        #expect(Self.text(forms, .hexUppercase, expected: hex.uppercased()) == hex.uppercased())
    }

    @Test("JSON string escapes, as JSONEncoder writes them", arguments: values)
    func json(_ value: String) throws {
        let forms = Self.forms(value)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let quoted = String(decoding: try encoder.encode(value), as: UTF8.self)
        let body = String(quoted.dropFirst().dropLast())
        #expect(Self.text(forms, .jsonEscaped, expected: body) == body)
        let slashed = String(String(decoding: try JSONEncoder().encode(value), as: UTF8.self).dropFirst().dropLast())
        #expect(Self.text(forms, .jsonEscapedSlash, expected: slashed) == slashed)
    }

    @Test("Python's ASCII-only JSON form for non-ASCII values")
    func jsonASCII() {
        let forms = Self.forms("pässwörd-ünïcödé-1234")
        #expect(forms[.jsonEscapedASCII] == "p\\u00e4ssw\\u00f6rd-\\u00fcn\\u00efc\\u00f6d\\u00e9-1234")
        #expect(Self.forms("plain-ascii-value")[.jsonEscapedASCII] == nil, "no separate form when it equals another")
    }

    @Test("values under 8 bytes are skipped and counted; equal values share needles")
    func builder() {
        var builder = NeedleSetBuilder()
        builder.add(SecretValue(SecureBytes(copying: Array("short".utf8))), name: "TINY", environment: "dev", version: 1, isCurrent: true)
        let value = SecretValue(SecureBytes(copying: Array("same-value-in-two-places".utf8)))
        builder.add(value, name: "A", environment: "dev", version: 2, isCurrent: true)
        builder.add(value, name: "B", environment: "prod", version: 1, isCurrent: false)
        let set = builder.build()
        #expect(set.skippedShortValues == 1)
        #expect(set.valueCount == 2)
        #expect(set.owners.allSatisfy { owners in Set(owners.map(\.name)) == ["A", "B"] })
        #expect(!String(describing: set).contains("same-value"))
    }

    @Test("a long value is searched by windows from its middle")
    func longValue() throws {
        let long = (0..<5000).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        var builder = NeedleSetBuilder()
        builder.add(SecretValue(SecureBytes(copying: long)), name: "BIG", environment: "dev", version: 1, isCurrent: true)
        let set = builder.build()
        #expect(set.owners.allSatisfy { $0.allSatisfy(\.isPartial) })
        #expect(set.needles.allSatisfy { $0.count <= 3 * NeedleEncoder.windowSize })
        let matcher = MultiPatternMatcher(needles: set.needles)
        var scanner = StreamScanner(matcher: matcher)
        let encoded = Array(Data(long).base64EncodedString().utf8)
        encoded.withUnsafeBytes { scanner.feed($0, isLast: true) }
        #expect(!scanner.hits.isEmpty, "the base64 of the whole long value is found")
    }
}
