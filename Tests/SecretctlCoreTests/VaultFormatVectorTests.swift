import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// Every file of `FormatVectors/` (written by an independent Python writer that follows only
/// `docs/vault-format.md`) must reach the outcome it states, at the stage it states.
@Suite("Vault format vectors")
struct VaultFormatVectorTests {
    @Test(arguments: try FormatVectorCase.all())
    func vectorReachesItsOutcome(_ testCase: FormatVectorCase) throws {
        let vector = testCase.vector
        let expected = FormatOutcome(expect: vector.expect, stage: vector.stage)
        let (outcome, file, dataKey, contents) = FormatOutcome.read(vector.vault, credential: testCase.credential)
        #expect(outcome == expected, "\(vector.rule)")

        guard expected == .ok, outcome == .ok else { return }
        let opened = try #require(contents, "an ok vault has contents")
        let parsed = try #require(file, "an ok vault parses")
        let key = try #require(dataKey, "an ok vault unwraps")
        #expect(opened.sortedEntries.map(FormatVector.ExpectedEntry.init) == vector.entries, "the entries the vector lists")

        // Canonical in, canonical out: writing the parsed file gives the same bytes.
        #expect(parsed.bytes == vector.vault)
        // secretctl's payload encoder writes the independent writer's bytes for the same contents.
        let plaintext = try AESGCM.open(parsed.sealedPayload, key: key, nonce: parsed.payloadNonce, authenticating: parsed.header.bytes)
        #expect(PayloadCodec.encode(opened).constantTimeEquals(plaintext), "PayloadCodec.encode matches the independent writer")
    }

    @Test func folderHoldsVectorsOfEveryOutcome() throws {
        let vectors = try FormatVector.all()
        #expect(vectors.count >= 150, "found \(vectors.count) vectors")
        for expectation in [FormatVector.Expectation.ok, .damaged, .unsupported, .wrongKey] {
            #expect(vectors.contains { $0.expect == expectation }, "a vector expecting \(expectation.rawValue)")
        }
        for stage in [FormatVector.Stage.parse, .unwrap, .open] {
            #expect(vectors.contains { $0.stage == stage }, "a vector stopping at \(stage.rawValue)")
        }
        #expect(vectors.allSatisfy { $0.name.hasPrefix($0.expect == .wrongKey ? "wrong-key-" : $0.expect.rawValue + "-") },
            "file names start with their outcome")
    }

    // MARK: - The spec's table

    static let specTitle = "## What a reader MUST reject"
    static let validVaultRow = "(a valid vault)"

    /// The first column of every row of the spec's "What a reader MUST reject" table.
    static func specRows() throws -> [String] {
        let spec = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/vault-format.md")
        let text = try String(contentsOf: spec, encoding: .utf8)
        guard let start = text.range(of: specTitle) else { return [] }
        let section = text[start.upperBound...]
        let sectionEnd = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
        return section[..<sectionEnd].split(separator: "\n")
            .filter { $0.hasPrefix("| ") && !$0.hasPrefix("| rule ") && !$0.hasPrefix("| ---") }
            .compactMap { line in line.dropFirst(2).components(separatedBy: " | ").first }
    }

    @Test func specTableIsFound() throws {
        #expect(try Self.specRows().count >= 10, "the table under '\(Self.specTitle)' in docs/vault-format.md")
    }

    @Test(arguments: try specRows())
    func specRowHasVectors(_ row: String) throws {
        let vectors = try FormatVector.all().filter { $0.spec == row }
        #expect(!vectors.isEmpty, "no vector in FormatVectors/ names the spec row '\(row)'")
    }

    @Test func everyVectorNamesARowOfTheSpec() throws {
        let rows = Set(try Self.specRows())
        let strays = try FormatVector.all().filter { vector in
            guard let spec = vector.spec else { return true }
            return spec != Self.validVaultRow && !rows.contains(spec)
        }
        #expect(strays.isEmpty, "vectors whose 'spec:' is not a row of the table: \(strays.map(\.name))")
    }
}

extension FormatVector.ExpectedEntry {
    init(_ entry: Entry) {
        self.init(
            name: entry.name, historyLimit: entry.historyLimit,
            recipe: entry.recipe.map { [$0.bytes, Int($0.encoding.rawValue)] },
            versions: entry.versions.map { version in
                FormatVector.ExpectedVersion(
                    number: version.number, created: version.created, value: version.value.withUnsafeBytes { Array($0) })
            })
    }
}
