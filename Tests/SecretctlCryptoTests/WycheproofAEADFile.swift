import Testing

/// Wycheproof's `aead_test_schema_v1.json`, the fields these tests use.
struct WycheproofAEADFile: Decodable, Sendable {
    struct Group: Decodable, Sendable {
        let keySize: Int
        let ivSize: Int
        let tagSize: Int
        let tests: [Case]
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let tcId: Int
        let comment: String
        let flags: [String]
        let key: HexField
        let iv: HexField
        let aad: HexField
        let msg: HexField
        let ct: HexField
        let tag: HexField
        let result: String

        /// Sizes in bits, copied from the group so a case is self-contained.
        var keySize = 0
        var ivSize = 0
        var tagSize = 0

        private enum CodingKeys: String, CodingKey {
            case tcId, comment, flags, key, iv, aad, msg, ct, tag, result
        }

        var testDescription: String {
            "tcId \(tcId) (key \(keySize), iv \(ivSize), tag \(tagSize) bits; \(result)\(flags.isEmpty ? "" : "; " + flags.joined(separator: ","))\(comment.isEmpty ? "" : "; " + comment))"
        }
    }

    let algorithm: String
    let numberOfTests: Int
    let testGroups: [Group]

    /// Every case with its group's sizes filled in.
    var cases: [Case] {
        testGroups.flatMap { group in
            group.tests.map { test in
                var test = test
                test.keySize = group.keySize
                test.ivSize = group.ivSize
                test.tagSize = group.tagSize
                return test
            }
        }
    }
}
