import Foundation

/// `Vectors/known_answers.json`: published vectors committed in the repository, so a clone
/// without `../shared/testdata` still checks the crypto against outside values.
struct KnownAnswerFile: Decodable, Sendable {
    struct AESGCMVector: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let key: HexField
        let iv: HexField
        let aad: HexField
        let plaintext: HexField
        let ciphertext: HexField
        let tag: HexField

        var description: String { name }
    }

    struct ScryptVector: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let password: String
        let salt: String
        let n: UInt64
        let r: UInt64
        let p: UInt64
        let derivedKey: HexField

        var description: String { name }
    }

    let sources: [String: String]
    let aesGCM: [AESGCMVector]
    let scrypt: [ScryptVector]

    static func load() throws -> KnownAnswerFile {
        guard let url = Bundle.module.url(forResource: "known_answers", withExtension: "json", subdirectory: "Vectors") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "Vectors/known_answers.json is missing from the test bundle"])
        }
        return try JSONDecoder().decode(KnownAnswerFile.self, from: Data(contentsOf: url))
    }
}
