/// One object header from `git cat-file --batch=%(objectname) %(objecttype) %(objectsize) %(rest)`.
struct CatFileHeader: Sendable {
    var objectName: String
    var type: String
    var size: Int
    /// What followed the object name on the request line (an index or a path).
    var rest: String
    var isMissing: Bool

    static let format = "--batch=%(objectname) %(objecttype) %(objectsize) %(rest)"

    /// Parses a header line (without its LF).
    static func parse(_ line: [UInt8]) -> CatFileHeader? {
        let parts = line.split(separator: 0x20, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        let name = String(decoding: parts[0], as: UTF8.self)
        let type = String(decoding: parts[1], as: UTF8.self)
        if type == "missing" || type == "ambiguous" {
            return CatFileHeader(objectName: name, type: type, size: 0, rest: "", isMissing: true)
        }
        guard parts.count >= 3, let size = Int(String(decoding: parts[2], as: UTF8.self)), size >= 0 else { return nil }
        let rest = parts.count == 4 ? String(decoding: parts[3], as: UTF8.self) : ""
        return CatFileHeader(objectName: name, type: type, size: size, rest: rest, isMissing: false)
    }
}
