import SecretctlCore
import SecretctlCrypto
import Testing

/// The fast data path (issue 6): a base64 decoder that works two quanta at a time and can
/// decode in place, a byte-level vault parser that decodes the payload line into the file's own
/// buffer, a streaming writer, and contents kept sorted. Each test pins an edge case that the
/// older, simpler code did not have.
@Suite("Vault data path")
struct VaultDataPathTests {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes bit by bit, as RFC 4648 describes it.
    static func referenceEncode(_ bytes: [UInt8], alphabet: [UInt8], pad: Bool) -> [UInt8] {
        var bits = bytes.flatMap { byte in (0..<8).reversed().map { byte >> $0 & 1 } }
        while bits.count % 6 != 0 { bits.append(0) }
        var output = stride(from: 0, to: bits.count, by: 6).map { start in
            alphabet[Int(bits[start..<start + 6].reduce(0) { $0 << 1 | $1 })]
        }
        while pad, output.count % 4 != 0 { output.append(UInt8(ascii: "=")) }
        return output
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    // MARK: - Base64

    /// Every length from 0 to 67 (each remainder mod 3, and both sides of the decoder's
    /// two-quanta step and its one-quantum tail), and a few long ones.
    static let lengths = Array(0...67) + [4095, 4096, 4097, 49_151, 49_152, 49_153]

    @Test(arguments: lengths)
    func encodeMatchesTheReferenceAndDecodesBack(count: Int) throws {
        let bytes = Self.randomBytes(count)
        let text = Base64.encode(bytes)
        #expect(Array(text.utf8) == Self.referenceEncode(bytes, alphabet: Self.alphabet, pad: true))
        #expect(Base64.encode(bytes, .urlSafeUnpadded).utf8.elementsEqual(Self.referenceEncode(bytes, alphabet: Self.urlAlphabet, pad: false)))
        #expect(Base64.decode(text) == bytes)
        #expect(Array(text.utf8).withUnsafeBytes { Base64.decodedCount($0) } == count)
    }

    @Test(arguments: lengths)
    func decodesInPlace(count: Int) throws {
        let bytes = Self.randomBytes(count)
        var buffer = Array(Base64.encode(bytes).utf8)
        let ok = buffer.withUnsafeMutableBytes { raw in Base64.decode(UnsafeRawBufferPointer(raw), into: raw.baseAddress) }
        #expect(ok)
        #expect(Array(buffer.prefix(count)) == bytes, "decoding into the start of the text itself")
    }

    /// A base64 string of `count` bytes whose character at `index` is replaced by `byte`.
    static func damaged(count: Int, at index: (Int) -> Int, with byte: UInt8) -> [UInt8] {
        var text = Array(Base64.encode(Self.randomBytes(count)).utf8)
        text[index(text.count)] = byte
        return text
    }

    /// One bad character anywhere, including in the part decoded two quanta at a time, in the
    /// one-quantum tail and in the last quantum, is refused.
    @Test(arguments: [1, 2, 3, 7, 8, 9, 12, 13, 14, 15, 100])
    func aBadCharacterAnywhereIsRefused(count: Int) {
        let encodedCount = Base64.encodedCount(count)
        for position in 0..<encodedCount {
            for bad in Array(" \r\n\0-_.é".utf8) {
                let text = Self.damaged(count: count, at: { _ in position }, with: bad)
                #expect(Base64.decode(text) == nil, "\(count) bytes, byte \(bad) at \(position)")
            }
        }
    }

    /// '=' is padding only as the last one or two characters of the whole text.
    @Test(arguments: [3, 4, 5, 6, 12, 13, 14, 30])
    func paddingInTheMiddleIsRefused(count: Int) {
        let encodedCount = Base64.encodedCount(count)
        for position in 0..<encodedCount - 2 {
            let text = Self.damaged(count: count, at: { _ in position }, with: UInt8(ascii: "="))
            #expect(Base64.decode(text) == nil, "'=' at \(position) of \(encodedCount)")
        }
    }

    /// The bits the padding drops must be zero: for every last character before '=' or '==',
    /// only the ones with zero low bits are canonical.
    @Test(arguments: [1, 2, 4, 5, 7, 8, 31, 32])
    func nonZeroPaddingBitsAreRefused(count: Int) throws {
        let padding = (3 - count % 3) % 3
        try #require(padding > 0, "a length with padding")
        var text = Array(Base64.encode(Self.randomBytes(count)).utf8)
        let last = text.count - padding - 1
        let droppedBits = padding == 1 ? 2 : 4
        for (value, character) in Self.alphabet.enumerated() {
            text[last] = character
            let canonical = value & (1 << droppedBits - 1) == 0
            #expect((Base64.decode(text) != nil) == canonical, "'\(Character(Unicode.Scalar(character)))' before \(padding) '='")
        }
    }

    @Test(arguments: ["=", "==", "===", "====", "A===", "AA=A", "A", "AA", "AAA", "AAAAA", "QQ==QQ==", "QUFB\nQUFB"])
    func malformedShapesAreRefused(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    // MARK: - VaultFile

    static func vault(payloadCount: Int) throws -> VaultFile {
        let (file, _, _, _) = try VaultFormatHeaderTests.freshVault()
        return VaultFile(header: file.header, payloadNonce: file.payloadNonce, sealedPayload: Self.randomBytes(payloadCount))
    }

    /// The streaming writer hands out the same bytes as `bytes`, in pieces of at most 64 KiB,
    /// for payloads on both sides of one piece (49,152 payload bytes make 65,536 characters).
    @Test(arguments: [16, 17, 18, 19, 49_151, 49_152, 49_153, 98_304, 150_001])
    func streamingWriteEqualsBytes(payloadCount: Int) throws {
        let file = try Self.vault(payloadCount: payloadCount)
        var written: [UInt8] = []
        var largest = 0
        let ok = file.write { piece in
            written += piece
            largest = max(largest, piece.count)
            return true
        }
        #expect(ok)
        #expect(written == file.bytes)
        #expect(largest <= 1 << 16 + 1)
        #expect(try VaultFile.parse(written) == file)
    }

    @Test func streamingWriteStopsWhenTheSinkFails() throws {
        let file = try Self.vault(payloadCount: 200_000)
        var calls = 0
        let ok = file.write { _ in
            calls += 1
            return calls < 2
        }
        #expect(!ok)
        #expect(calls == 2)
    }

    /// The payload is decoded into the parser's own buffer: the caller's array must not change.
    @Test func parsingLeavesTheCallersBytesAlone() throws {
        let file = try Self.vault(payloadCount: 1000)
        let bytes = file.bytes
        let copy = bytes
        let parsed = try VaultFile.parse(bytes)
        #expect(bytes == copy)
        #expect(parsed == file)
        #expect(parsed.bytes == bytes)
    }

    /// A file whose lines are `lines` (each followed by LF).
    static func file(_ lines: [String]) -> [UInt8] { Array(lines.map { $0 + "\n" }.joined().utf8) }

    static func lines(of file: VaultFile) -> [String] {
        String(decoding: file.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Shapes the byte-level parser finds in a different way from the old line splitter, each
    /// still damaged: a "---" line among the unlockers, lines after the payload, an empty or
    /// missing payload, a CR or a non-ASCII byte in the payload line, a separator with a second
    /// space, an empty line before the payload.
    @Test(arguments: 0..<14)
    func damagedShapesAreRefused(shape: Int) throws {
        let file = try Self.vault(payloadCount: 40)
        var lines = Self.lines(of: file)
        let separator = lines.count - 2
        var bytes: [UInt8]?
        switch shape {
        case 0: lines.insert("---", at: 2)
        case 1: lines.insert(lines[separator], at: 2)
        case 2: lines.append("AAAA")
        case 3: lines.append("")
        case 4: lines[separator + 1] = ""
        case 5: lines.removeLast()
        case 6: lines[separator + 1] = "AAAA\r" + lines[separator + 1].dropFirst(4)
        case 7: lines[separator + 1] = String(lines[separator + 1].dropLast(4)) + "AAA\u{e9}"
        case 8: lines[separator] = lines[separator].replacingOccurrences(" ", "  ")
        case 9: lines.insert("", at: separator + 1)
        case 10: lines.removeSubrange(2..<separator)
        case 11: lines.insert(lines[separator + 1], at: separator)
        case 12: lines[separator] = "--- " + lines[separator].dropFirst(4) + " x"
        default:
            // A CR before the final LF of the payload line.
            bytes = Self.file(lines).dropLast() + [0x0D, 0x0A]
        }
        let text = bytes ?? Self.file(lines)
        #expect(throws: VaultFormatError.self) { try VaultFile.parse(text) }
        do {
            _ = try VaultFile.parse(text)
        } catch {
            guard case .damaged = error else {
                Issue.record("shape \(shape): \(error) is not 'damaged'")
                return
            }
        }
    }

    // MARK: - VaultContents

    static func entry(_ name: String, _ byte: UInt8 = 1) -> Entry {
        Entry(name: name, recipe: nil, versions: [EntryVersion(number: 1, created: 0, value: SecretValue(SecureBytes(copying: [byte])))])
    }

    @Test func contentsStaySortedByBytesThroughEdits() {
        var contents = VaultContents(entries: ["m", "B", "a.b", "_x"].map { Self.entry($0) })
        contents["0"] = Self.entry("0")
        contents["zz"] = Self.entry("zz")
        contents["a-b"] = Self.entry("a-b")
        contents["m"] = nil
        contents["not-there"] = nil
        #expect(contents.names == ["0", "B", "_x", "a-b", "a.b", "zz"])
        #expect(contents.sortedEntries.map(\.name) == contents.names)
        #expect(contents.count == 6)
        #expect(contents["a.b"] != nil && contents["m"] == nil && contents["A"] == nil)
        #expect(Set(contents.entries.keys) == Set(contents.names))
    }

    @Test func aLaterEntryWithTheSameNameWins() throws {
        let contents = VaultContents(entries: [Self.entry("K", 1), Self.entry("A", 9), Self.entry("K", 2), Self.entry("K", 3)])
        #expect(contents.names == ["A", "K"])
        let kept = try #require(contents["K"], "K is kept")
        #expect(kept.current.value.withUnsafeBytes { Array($0) } == [3])
    }

    @Test func replacingAnEntryKeepsItsPlace() throws {
        var contents = VaultContents(entries: (0..<50).map { Self.entry("KEY_\($0 / 10)\($0 % 10)") })
        var entry = try #require(contents["KEY_25"], "KEY_25 exists")
        entry.push(SecretValue(SecureBytes(copying: [7])), at: 1)
        contents["KEY_25"] = entry
        #expect(contents.count == 50)
        #expect(contents.names == (0..<50).map { "KEY_\($0 / 10)\($0 % 10)" })
        #expect(contents["KEY_25"]?.versions.count == 2)
    }

    /// A decoded vault's order is the payload's, checked strictly while decoding.
    @Test func decodedContentsKeepThePayloadOrder() throws {
        let names = (0..<300).map { "K\(String($0, radix: 7))" }
        let contents = VaultContents(entries: names.map { Self.entry($0) })
        let decoded = try PayloadCodec.decode(PayloadCodec.encode(contents))
        #expect(decoded.names == contents.names)
        #expect(decoded.names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        for name in names { #expect(decoded[name] != nil) }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// `VaultFile.parse(sizeHint:reading:)` reads a vault in pieces and must reach exactly the
/// outcome `VaultFile.parse(_:)` reaches on the whole file: the same file, or an error of the
/// same kind. Small pieces make short files take the piecewise path (the header found in the
/// first piece, the payload line decoded across many pieces) and the fallback (a header longer
/// than the first piece), and a reader that returns a few bytes per call splits every read.
@Suite("Vault data path: reading in pieces")
struct VaultPieceReadingTests {
    enum Outcome: Equatable {
        case parsed(VaultFile)
        case damaged
        case unsupported
        case wrongKey
    }

    static func outcome(_ body: () throws(VaultFormatError) -> VaultFile) -> Outcome {
        do {
            return .parsed(try body())
        } catch {
            switch error {
            case .damaged: return .damaged
            case .unsupportedVersion: return .unsupported
            case .wrongKey: return .wrongKey
            }
        }
    }

    /// Parses `bytes` in pieces of `pieceSize`, the reader handing out at most `perRead` bytes a call.
    static func piecewise(_ bytes: [UInt8], pieceSize: Int, perRead: Int) -> Outcome {
        var offset = 0
        return outcome { () throws(VaultFormatError) -> VaultFile in
            try VaultFile.parse(sizeHint: bytes.count, pieceSize: pieceSize) { buffer in
                let count = min(buffer.count, perRead, bytes.count - offset)
                bytes.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
                }
                offset += count
                return count
            }
        }
    }

    static let shapes: [(pieceSize: Int, perRead: Int)] = [(8, 1), (8, 1000), (13, 5), (64, 64), (100, 7), (512, 3), (4096, 4096), (1 << 16, 1 << 16)]

    @Test(arguments: try FormatVector.all())
    func everyVectorReadInPiecesReachesTheSameOutcome(_ vector: FormatVector) {
        let whole = Self.outcome { () throws(VaultFormatError) -> VaultFile in try VaultFile.parse(vector.vault) }
        for shape in Self.shapes {
            #expect(Self.piecewise(vector.vault, pieceSize: shape.pieceSize, perRead: shape.perRead) == whole,
                "\(vector.name), pieces of \(shape.pieceSize), \(shape.perRead) bytes a read")
        }
    }

    /// Valid vaults of several payload sizes, and each with one byte changed, cut or added
    /// at every part of the file (the header, the separator, the payload's start, middle and
    /// end, the final LF).
    @Test(arguments: [16, 17, 18, 19, 100, 1000, 5000])
    func changedVaultsReadInPiecesReachTheSameOutcome(payloadCount: Int) throws {
        let file = try VaultDataPathTests.vault(payloadCount: payloadCount)
        let bytes = file.bytes
        var variants = [bytes, bytes + [0x0A], bytes + Array("AAAA\n".utf8), Array(bytes.dropLast()), Array(bytes.dropLast(2)) + [0x0A],
                        Array(bytes.dropLast(5)) + [0x0A], Array(bytes.dropLast()) + [0x0D, 0x0A]]
        let positions = Set([0, 20, 60, bytes.count / 2, bytes.count - 6, bytes.count - 3, bytes.count - 2, bytes.count - 1])
        for position in positions.sorted() {
            for replacement in Array("=A\n\r -".utf8) where bytes[position] != replacement {
                var changed = bytes
                changed[position] = replacement
                variants.append(changed)
            }
        }
        for (index, variant) in variants.enumerated() {
            let whole = Self.outcome { () throws(VaultFormatError) -> VaultFile in try VaultFile.parse(variant) }
            if index == 0 { #expect(whole == .parsed(file)) }
            for shape in Self.shapes {
                #expect(Self.piecewise(variant, pieceSize: shape.pieceSize, perRead: shape.perRead) == whole,
                    "variant \(index), pieces of \(shape.pieceSize), \(shape.perRead) bytes a read")
            }
        }
    }

    @Test func aReadErrorIsAnError() throws {
        let bytes = try VaultDataPathTests.vault(payloadCount: 1000).bytes
        var calls = 0
        let result = Self.outcome { () throws(VaultFormatError) -> VaultFile in
            try VaultFile.parse(sizeHint: bytes.count, pieceSize: 64) { buffer in
                calls += 1
                guard calls < 4 else { return nil }
                let count = min(buffer.count, 10)
                let start = (calls - 1) * 10
                bytes.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<start + count]))
                }
                return count
            }
        }
        #expect(result == .damaged)
        #expect(calls == 4)
    }
}
