import SecretctlCore
import Testing

/// `Base64.decode` carries every canonical-form rule of the vault format (padding, unused
/// bits, alphabet). These tests pin it against a plain reference over every 4-character
/// quantum of a small alphabet, and round-trip random bytes, so a faster decoder cannot
/// quietly accept something the old one refused.
@Suite("Hardening: strict base64")
struct HardeningBase64Tests {
    static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Decodes by the book: 6 bits per character, `=` only as the last one or two of the last
    /// quantum, and the bits the padding drops must be zero. Then it must re-encode to itself.
    static func reference(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var bits: [Bool] = []
        var padding = 0
        for (index, byte) in text.enumerated() {
            if byte == UInt8(ascii: "=") {
                guard index >= text.count - 2 else { return nil }
                padding += 1
                continue
            }
            guard padding == 0, let value = standard.firstIndex(of: byte) else { return nil }
            for shift in (0..<6).reversed() { bits.append(value >> shift & 1 == 1) }
        }
        if padding == 2, text[text.count - 2] != UInt8(ascii: "=") { return nil }
        let whole = bits.count / 8
        guard bits[(whole * 8)...].allSatisfy({ !$0 }) else { return nil }
        var output: [UInt8] = []
        for index in 0..<whole {
            output.append(bits[(index * 8)..<(index * 8 + 8)].reduce(0) { $0 << 1 | ($1 ? 1 : 0) })
        }
        return output
    }

    /// Every 4-character string over letters that hit each rule: first/last of the alphabet,
    /// values whose low bits are zero or not, both specials, padding, and characters outside
    /// the alphabet (URL-safe `-` `_`, space, CR, NUL).
    static let quantumAlphabet = Array("AQBgw/+=-_ \r\0".utf8)
    static let quanta: [[UInt8]] = {
        var all: [[UInt8]] = []
        for a in quantumAlphabet { for b in quantumAlphabet { for c in quantumAlphabet { for d in quantumAlphabet { all.append([a, b, c, d]) } } } }
        return all
    }()

    @Test func everyQuantumDecodesAsTheReferenceDoes() {
        var accepted = 0
        var mismatches: [String] = []
        for quantum in Self.quanta {
            let fast = Base64.decode(quantum)
            if fast != Self.reference(quantum) { mismatches.append(String(decoding: quantum, as: UTF8.self)) }
            if let fast {
                accepted += 1
                #expect(Array(Base64.encode(fast).utf8) == quantum, "accepted a non-canonical \(quantum)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) quanta differ from the reference, first \(mismatches.prefix(5))")
        // The alphabet has 7 base64 digits: 7^4 without padding, 7^3 with "=" (canonical only
        // where the dropped bits are zero) and 7^2 with "==".
        #expect(accepted > 7 * 7 * 7 * 7, "only \(accepted) quanta accepted")
    }

    @Test func quantaAreCheckedInEveryPositionNotJustTheFirst() {
        // Padding is legal only in the last quantum; a bad character anywhere is refused.
        #expect(Base64.decode(Array("QQ==QUFB".utf8)) == nil)
        #expect(Base64.decode(Array("QUFBQQ==".utf8)) == Array("AAAA".utf8))
        #expect(Base64.decode(Array("QUFB QUFB".utf8)) == nil)
        #expect(Base64.decode(Array("QUFBQUF-".utf8)) == nil)
        #expect(Base64.decode(Array("QUFBQUF=".utf8)) == nil, "unused bits set before '='")
        #expect(Base64.decode(Array("QUFBQUE=".utf8)) == Array("AAAAA".utf8))
    }

    @Test(arguments: [0, 1, 2, 3, 4, 5, 31, 32, 33, 1000, 65_537])
    func randomBytesRoundTrip(count: Int) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Base64.encode(bytes)
        #expect(text.utf8.count == Base64.encodedCount(count))
        #expect(Base64.decode(text) == bytes)
        #expect(Self.reference(Array(text.utf8)) == bytes)
    }
}
