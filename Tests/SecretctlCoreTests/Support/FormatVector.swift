import Foundation
import Testing

/// One file of `FormatVectors/` (format in its README.md): a vault, the credentials in hand,
/// and the outcome a reader must reach.
struct FormatVector: Sendable {
    enum Expectation: String, Sendable {
        case ok
        case damaged
        case unsupported
        case wrongKey = "wrong-key"
    }

    enum Stage: String, Sendable {
        case parse, unwrap, open
    }

    enum Credential: Sendable, CustomStringConvertible {
        case key([UInt8])
        case passphrase([UInt8])
        /// A raw X25519 private key.
        case identity([UInt8])

        var description: String {
            switch self {
            case .key: "key file"
            case .passphrase: "passphrase"
            case .identity: "identity"
            }
        }
    }

    struct ExpectedVersion: Sendable, Equatable {
        let number: UInt32
        let created: Int64
        let value: [UInt8]
    }

    struct ExpectedEntry: Sendable, Equatable {
        let name: String
        let historyLimit: Int
        /// random-bytes and encoding code, or nil when set by hand.
        let recipe: [Int]?
        let versions: [ExpectedVersion]
    }

    /// The file name without `.vector`.
    let name: String
    let rule: String
    let spec: String?
    let expect: Expectation
    let stage: Stage?
    let credentials: [Credential]
    let entries: [ExpectedEntry]?
    let vault: [UInt8]

    struct Malformed: Error, CustomStringConvertible {
        let file: String
        let reason: String
        var description: String { "\(file): \(reason)" }
    }

    static let separator = Array("\n--- vault ---\n".utf8)

    // MARK: - Loading

    /// The folder as copied into the test bundle.
    static func directory() throws -> URL {
        guard let url = Bundle.module.url(forResource: "FormatVectors", withExtension: nil) else {
            throw Malformed(file: "FormatVectors", reason: "the folder is missing from the test bundle")
        }
        return url
    }

    /// Every `*.vector` file, sorted by name.
    static func all() throws -> [FormatVector] {
        let folder = try directory()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".vector") }.sorted()
        return try names.map { try load(folder.appendingPathComponent($0)) }
    }

    static func load(_ url: URL) throws -> FormatVector {
        let file = url.lastPathComponent
        let bytes = [UInt8](try Data(contentsOf: url))
        guard let split = firstRange(of: separator, in: bytes) else { throw Malformed(file: file, reason: "no '--- vault ---' line") }
        let header = String(decoding: bytes[..<split.lowerBound], as: UTF8.self)
        let vault = Array(bytes[split.upperBound...])

        var fields: [(String, String)] = []
        for line in header.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix("#") && !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw Malformed(file: file, reason: "header line without ':': \(line)") }
            fields.append((String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " })))
        }
        func one(_ key: String) throws -> String? {
            let values = fields.filter { $0.0 == key }.map(\.1)
            guard values.count <= 1 else { throw Malformed(file: file, reason: "'\(key)' given twice") }
            return values.first
        }
        func base64(_ text: String) throws -> [UInt8] {
            guard let data = Data(base64Encoded: text) else { throw Malformed(file: file, reason: "bad base64 '\(text.prefix(20))'") }
            return [UInt8](data)
        }

        guard let expectText = try one("expect"), let expect = Expectation(rawValue: expectText) else {
            throw Malformed(file: file, reason: "missing or unknown 'expect'")
        }
        let stage = try one("stage").map { text throws(Malformed) -> Stage in
            guard let stage = Stage(rawValue: text) else { throw Malformed(file: file, reason: "unknown stage \(text)") }
            return stage
        }
        var credentials: [Credential] = []
        for (key, value) in fields {
            if key == "key" { credentials.append(.key(try base64(value))) }
            if key == "passphrase" { credentials.append(.passphrase(try base64(value))) }
            if key == "identity" { credentials.append(.identity(try base64(value))) }
        }
        guard !credentials.isEmpty else { throw Malformed(file: file, reason: "no credential") }

        var entries: [ExpectedEntry]?
        if expect == .ok {
            guard let countText = try one("entries"), let count = Int(countText) else {
                throw Malformed(file: file, reason: "an ok vector needs 'entries: N'")
            }
            let parsed = try fields.filter { $0.0 == "entry" }.map { try parseEntry($0.1, file: file) }
            guard parsed.count == count else { throw Malformed(file: file, reason: "'entries: \(count)' but \(parsed.count) entry lines") }
            entries = parsed
        }
        guard (expect == .ok) == (stage == nil) else { throw Malformed(file: file, reason: "a stage goes with every outcome but ok") }

        return FormatVector(
            name: String(file.dropLast(".vector".count)), rule: try one("rule") ?? "", spec: try one("spec"),
            expect: expect, stage: stage, credentials: credentials, entries: entries, vault: vault)
    }

    /// `NAME limit=N recipe=-|B:E V@T=BASE64 ...`
    private static func parseEntry(_ text: String, file: String) throws -> ExpectedEntry {
        let parts = text.split(separator: " ").map(String.init)
        guard parts.count >= 4, parts[1].hasPrefix("limit="), parts[2].hasPrefix("recipe="),
            let limit = Int(parts[1].dropFirst("limit=".count))
        else { throw Malformed(file: file, reason: "bad entry line '\(text.prefix(40))'") }
        let recipeText = parts[2].dropFirst("recipe=".count)
        let recipe: [Int]? = recipeText == "-" ? nil : recipeText.split(separator: ":").compactMap { Int($0) }
        if let recipe, recipe.count != 2 { throw Malformed(file: file, reason: "bad recipe '\(recipeText)'") }
        let versions = try parts[3...].map { part throws(Malformed) -> ExpectedVersion in
            guard let at = part.firstIndex(of: "@"), let equals = part.firstIndex(of: "="),
                let number = UInt32(part[..<at]), let created = Int64(part[part.index(after: at)..<equals]),
                let value = Data(base64Encoded: String(part[part.index(after: equals)...]))
            else { throw Malformed(file: file, reason: "bad version '\(part.prefix(40))'") }
            return ExpectedVersion(number: number, created: created, value: [UInt8](value))
        }
        return ExpectedEntry(name: parts[0], historyLimit: limit, recipe: recipe, versions: versions)
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }
}
