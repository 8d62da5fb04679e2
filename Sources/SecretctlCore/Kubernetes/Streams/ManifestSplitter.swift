/// Splits a manifest stream into its documents the way kubectl does
/// (apimachinery's `YAMLReader`): a document ends at a line that starts with `---` followed
/// by nothing but spaces or a comment. Each piece is then parsed on its own, as kubectl
/// parses it, so a piece secretctl passes through is exactly what kubectl would have read.
enum ManifestSplitter {
    /// The byte ranges of the documents, separator lines excluded. Pieces holding only
    /// blank lines and comments are included; the caller skips them after parsing.
    static func documents(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let next = min(lineEnd + 1, bytes.count)
            if isSeparator(bytes, lineStart..<lineEnd) {
                ranges.append(start..<lineStart)
                start = next
            }
            lineStart = next
        }
        ranges.append(start..<bytes.count)
        return ranges
    }

    private static func isSeparator(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) -> Bool {
        guard line.count >= 3, bytes[line.lowerBound] == UInt8(ascii: "-"), bytes[line.lowerBound + 1] == UInt8(ascii: "-"),
            bytes[line.lowerBound + 2] == UInt8(ascii: "-")
        else { return false }
        for index in line.lowerBound + 3..<line.upperBound {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): continue
            case UInt8(ascii: "#"): return true
            default: return false
            }
        }
        return true
    }
}
