/// `../shared/testdata/scrypt_rfc7914.json`.
struct ScryptRFC7914File: Decodable, Sendable {
    struct Vector: Decodable, Sendable, CustomStringConvertible {
        let password: String
        let salt: String
        let N: UInt64
        let r: UInt64
        let p: UInt64
        let dkLen: Int
        let derivedKeyHex: HexField

        var description: String { "P=\"\(password)\" S=\"\(salt)\" N=\(N) r=\(r) p=\(p)" }
    }

    let source: String
    let vectors: [Vector]
}
