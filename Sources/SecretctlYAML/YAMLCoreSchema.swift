/// The implicit types of plain scalars under YAML 1.1, as Kubernetes reads manifests
/// (sigs.k8s.io/yaml over go-yaml v2), widened to what Yams's default resolver guessed, so a
/// value that either would take for a non-string is caught: `yes`/`no`/`on`/`off`/`y`/`n`
/// are booleans, `0x1F`, `0o17`, `017`, `0b101`, `1_000` and `1:30` integers, `1.5`, `1e3`,
/// `.5`, `.inf` and `.nan` floats, `2024-01-31` a timestamp, `~` and nothing null.
/// Written out by hand: no regular-expression engine is loaded for it.
package enum YAMLCoreSchema {
    /// The tag a plain scalar with this text resolves to (`str` when nothing else matches).
    package static func resolve(_ text: String) -> YAMLTag {
        let bytes = Array(text.utf8)
        if isBool(text) { return .bool }
        if isInt(bytes) { return .int }
        if isFloat(bytes) { return .float }
        if text == "<<" { return .merge }
        if isNull(text) { return .null }
        if isTimestamp(bytes) { return .timestamp }
        if text == "=" { return .value }
        return .str
    }

    private static let booleans: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ]

    static func isBool(_ text: String) -> Bool { booleans.contains(text) }

    static func isNull(_ text: String) -> Bool { ["", "~", "null", "Null", "NULL"].contains(text) }

    // MARK: - Numbers

    /// `[-+]?` then `0b[01_]+`, `0x[0-9a-fA-F_]+`, `0o?[0-7_]+`, `0`, `[1-9][0-9_]*`, or
    /// `[1-9][0-9_]*(:[0-5]?[0-9])+` (base 60).
    static func isInt(_ bytes: [UInt8]) -> Bool {
        var index = skipSign(bytes, 0)
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index == bytes.count { return true }
            switch bytes[index] {
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                return isRun(bytes, index + 1) { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") || $0 == UInt8(ascii: "_") }
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                return isRun(bytes, index + 1) { isHexDigit($0) || $0 == UInt8(ascii: "_") }
            case UInt8(ascii: "o"), UInt8(ascii: "O"):
                return isRun(bytes, index + 1, isOctal)
            default:
                return isRun(bytes, index, isOctal)
            }
        }
        guard isDigit(bytes[index]) else { return false }
        index = skip(bytes, index + 1, isDigitOrUnderscore)
        if index == bytes.count { return true }
        return skipBase60(bytes, index) == bytes.count
    }

    /// `[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?`, `[-+]?\.[0-9_]+([eE][-+]?[0-9]+)?`,
    /// `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`, `[-+]?\.(inf|Inf|INF)`, `\.(nan|NaN|NAN)`.
    static func isFloat(_ bytes: [UInt8]) -> Bool {
        if [".nan", ".NaN", ".NAN"].contains(where: { bytes.elementsEqual($0.utf8) }) { return true }
        var index = skipSign(bytes, 0)
        guard index < bytes.count else { return false }
        let rest = bytes[index...]
        if [".inf", ".Inf", ".INF"].contains(where: { rest.elementsEqual($0.utf8) }) { return true }
        if bytes[index] == UInt8(ascii: ".") {
            let end = skip(bytes, index + 1, isDigitOrUnderscore)
            guard end > index + 1 else { return false }
            return skipExponent(bytes, end) == bytes.count
        }
        guard isDigit(bytes[index]) else { return false }
        index = skip(bytes, index + 1, isDigitOrUnderscore)
        let afterBase60 = skipBase60(bytes, index)
        if afterBase60 > index {
            guard afterBase60 < bytes.count, bytes[afterBase60] == UInt8(ascii: ".") else { return false }
            return skip(bytes, afterBase60 + 1, isDigitOrUnderscore) == bytes.count
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index = skip(bytes, index + 1, isDigitOrUnderscore)
        }
        return skipExponent(bytes, index) == bytes.count
    }

    /// `[0-9]{4}-[0-9]{2}-[0-9]{2}`, or `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}` then `T`, `t` or blanks,
    /// `[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?` and an optional `[ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?)`.
    static func isTimestamp(_ bytes: [UInt8]) -> Bool {
        var index = 0
        guard digits(bytes, &index, 4...4), literal(bytes, &index, "-"),
            let month = count(bytes, &index, 1...2), literal(bytes, &index, "-"),
            let day = count(bytes, &index, 1...2)
        else { return false }
        if index == bytes.count { return month == 2 && day == 2 }
        if bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t") {
            index += 1
        } else {
            let start = index
            index = skip(bytes, index, isBlank)
            guard index > start else { return false }
        }
        guard digits(bytes, &index, 1...2), literal(bytes, &index, ":"), digits(bytes, &index, 2...2),
            literal(bytes, &index, ":"), digits(bytes, &index, 2...2)
        else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index = skip(bytes, index + 1, isDigit)
        }
        index = skip(bytes, index, isBlank)
        if index == bytes.count { return true }
        if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return false }
        index += 1
        guard digits(bytes, &index, 1...2) else { return false }
        if index == bytes.count { return true }
        return literal(bytes, &index, ":") && digits(bytes, &index, 2...2) && index == bytes.count
    }

    // MARK: - Scanning

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isDigitOrUnderscore(_ byte: UInt8) -> Bool { isDigit(byte) || byte == UInt8(ascii: "_") }
    private static func isOctal(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7")) || byte == UInt8(ascii: "_")
    }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }
    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    private static func skip(_ bytes: [UInt8], _ start: Int, _ matches: (UInt8) -> Bool) -> Int {
        var index = start
        while index < bytes.count, matches(bytes[index]) { index += 1 }
        return index
    }

    /// Whether `bytes[start...]` is one or more bytes that all match.
    private static func isRun(_ bytes: [UInt8], _ start: Int, _ matches: (UInt8) -> Bool) -> Bool {
        start < bytes.count && skip(bytes, start, matches) == bytes.count
    }

    private static func skipSign(_ bytes: [UInt8], _ start: Int) -> Int {
        start < bytes.count && (bytes[start] == UInt8(ascii: "+") || bytes[start] == UInt8(ascii: "-")) ? start + 1 : start
    }

    /// `(:[0-5]?[0-9])*`: the end of the longest match.
    private static func skipBase60(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index + 1 < bytes.count, bytes[index] == UInt8(ascii: ":") {
            var next = index + 1
            if next + 1 < bytes.count, bytes[next] >= UInt8(ascii: "0"), bytes[next] <= UInt8(ascii: "5"), isDigit(bytes[next + 1]) {
                next += 2
            } else if isDigit(bytes[next]) {
                next += 1
            } else {
                break
            }
            index = next
        }
        return index
    }

    /// `([eE][-+]?[0-9]+)?`: the end of the match (`start` when there is none).
    private static func skipExponent(_ bytes: [UInt8], _ start: Int) -> Int {
        guard start < bytes.count, bytes[start] | 0x20 == UInt8(ascii: "e") else { return start }
        let digitsStart = skipSign(bytes, start + 1)
        let end = skip(bytes, digitsStart, isDigit)
        return end > digitsStart ? end : start
    }

    private static func count(_ bytes: [UInt8], _ index: inout Int, _ range: ClosedRange<Int>) -> Int? {
        let end = skip(bytes, index, isDigit)
        guard range.contains(end - index) else { return nil }
        defer { index = end }
        return end - index
    }

    private static func digits(_ bytes: [UInt8], _ index: inout Int, _ range: ClosedRange<Int>) -> Bool {
        count(bytes, &index, range) != nil
    }

    private static func literal(_ bytes: [UInt8], _ index: inout Int, _ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }
}
