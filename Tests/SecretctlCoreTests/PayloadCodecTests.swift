import SecretctlCore
import SecretctlCrypto
import Testing

@Suite("PayloadCodec")
struct PayloadCodecTests {
    static func value(_ bytes: [UInt8]) -> SecretValue { SecretValue(SecureBytes(copying: bytes)) }

    static func bytes(_ secure: SecureBytes) -> [UInt8] { secure.withUnsafeBytes { Array($0) } }

    /// The spec's layout written out by hand for one small vault.
    @Test func encodesTheSpecifiedLayout() {
        let entry = Entry(
            name: "AB", recipe: Recipe(bytes: 32, encoding: .hex), historyLimit: 3,
            versions: [
                EntryVersion(number: 2, created: -1, value: Self.value([0xFF])),
                EntryVersion(number: 1, created: 0x0102_0304_0506_0708, value: Self.value([])),
            ])
        let expected: [UInt8] =
            [1] + [0, 0, 0, 1]  // payload-version, entry-count
            + [0, 2] + Array("AB".utf8)  // name-length, name
            + [1] + [0, 0, 0, 32] + [2]  // recipe: random, 32 bytes, hex
            + [3] + [0, 2]  // history-limit, version-count
            + [0, 0, 0, 2] + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + [0, 0, 0, 1] + [0xFF]
            + [0, 0, 0, 1] + [1, 2, 3, 4, 5, 6, 7, 8] + [0, 0, 0, 0]
        #expect(Self.bytes(PayloadCodec.encode(VaultContents(entries: [entry]))) == expected)
    }

    @Test func emptyVaultIsFiveBytes() throws {
        let encoded = PayloadCodec.encode(VaultContents())
        #expect(Self.bytes(encoded) == [1, 0, 0, 0, 0])
        #expect(try PayloadCodec.decode(encoded).isEmpty)
    }

    @Test func entriesAreWrittenInByteOrder() throws {
        let names = ["a", "Z", "_", "0", "-x", ".env", "a.b", "a-b", "A"]
        let contents = VaultContents(entries: names.map { Entry(name: $0, recipe: nil, versions: [EntryVersion(number: 1, created: 0, value: Self.value([1]))]) })
        let decoded = try PayloadCodec.decode(PayloadCodec.encode(contents))
        #expect(decoded.names == ["-x", ".env", "0", "A", "Z", "_", "a", "a-b", "a.b"])
    }

    @Test func roundTripKeepsEverything() throws {
        let all = Array(UInt8.min...UInt8.max)
        let entries = [
            Entry(name: "BIN", recipe: nil, historyLimit: 0, versions: [EntryVersion(number: 7, created: Int64.min, value: Self.value(all))]),
            Entry(
                name: "GEN", recipe: Recipe(bytes: 1 << 20, encoding: .base64url), historyLimit: 100,
                versions: (1...101).reversed().map { EntryVersion(number: UInt32($0), created: Int64($0), value: Self.value(Array(repeating: UInt8($0), count: $0))) }),
            Entry(name: "MAX", recipe: nil, versions: [EntryVersion(number: .max, created: .max, value: Self.value(Array(repeating: 7, count: 1 << 20)))]),
        ]
        let decoded = try PayloadCodec.decode(PayloadCodec.encode(VaultContents(entries: entries)))
        #expect(decoded.names == ["BIN", "GEN", "MAX"])
        for original in entries {
            let copy = try #require(decoded[original.name], "entry \(original.name) survives")
            #expect(copy.recipe == original.recipe)
            #expect(copy.historyLimit == original.historyLimit)
            #expect(copy.versions.map(\.number) == original.versions.map(\.number))
            #expect(copy.versions.map(\.created) == original.versions.map(\.created))
            #expect(zip(copy.versions, original.versions).allSatisfy { $0.value.equals($1.value) })
        }
    }

    @Test func decodedValuesShareThePayloadBuffer() throws {
        let contents = VaultContents(entries: ["A", "B"].map { Entry(name: $0, recipe: nil, versions: [EntryVersion(number: 1, created: 0, value: Self.value(Array($0.utf8)))]) })
        let payload = PayloadCodec.encode(contents)
        let decoded = try PayloadCodec.decode(payload)
        let a = try #require(decoded["A"]?.current.value)
        let b = try #require(decoded["B"]?.current.value)
        #expect(a.storage === payload && b.storage === payload, "one buffer: wiping it wipes every value")
        #expect(a.secureBytes.equals(Array("A".utf8)))
    }

    @Test func valuesNeverPrint() throws {
        let value = Self.value(Array("top-secret-value".utf8))
        #expect("\(value)" == "<redacted>")
        #expect(String(reflecting: value) == "<redacted>")
        let contents = VaultContents(entries: [Entry(name: "A", recipe: nil, versions: [EntryVersion(number: 1, created: 0, value: value)])])
        #expect(!"\(contents)".contains("top-secret-value"))
    }

    /// Cut a valid payload anywhere: the decoder must refuse it, never read past the end.
    @Test(arguments: 0..<37)
    func everyTruncationIsRefused(_ length: Int) throws {
        let contents = VaultContents(entries: [
            Entry(name: "AB", recipe: Recipe(bytes: 4, encoding: .hex), versions: [EntryVersion(number: 1, created: 9, value: Self.value([1, 2, 3]))])
        ])
        let full = Self.bytes(PayloadCodec.encode(contents))
        #expect(full.count == 37)
        #expect(throws: VaultFormatError.self) { try PayloadCodec.decode(SecureBytes(copying: full.prefix(length))) }
    }
}
