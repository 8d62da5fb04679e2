/// The byte-level work of `DotenvParser`: reads `input`, writes decoded values into `output`.
struct DotenvScanner {
    struct Record {
        var name: String
        var range: Range<Int>
        var line: Int
    }

    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let hash = UInt8(ascii: "#")
    private static let equals = UInt8(ascii: "=")
    private static let doubleQuote = UInt8(ascii: "\"")
    private static let singleQuote = UInt8(ascii: "'")
    private static let backslash = UInt8(ascii: "\\")

    let input: UnsafeRawBufferPointer
    let output: UnsafeMutableRawBufferPointer
    private var position = 0
    private var written = 0
    private var line = 1

    init(input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer) {
        self.input = input
        self.output = output
    }

    // MARK: - Lines

    mutating func parseAll() throws(DotenvSyntaxError) -> [Record] {
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { position = 3 }
        var records: [Record] = []
        while position < input.count {
            skipBlanks()
            if consumeLineBreak() { continue }
            guard let byte = peek() else { break }
            if byte == Self.hash {
                skipToEndOfLine()
                continue
            }
            records.append(try parseBinding())
        }
        return records
    }

    private mutating func parseBinding() throws(DotenvSyntaxError) -> Record {
        let startLine = line
        if startsWithExportKeyword() {
            position += 6
            skipBlanks()
        }
        let nameStart = position
        while let byte = peek(), byte != Self.equals, !Self.isBlank(byte), !Self.isLineBreak(byte) { position += 1 }
        let nameBytes = UnsafeRawBufferPointer(rebasing: input[nameStart..<position])
        skipBlanks()
        guard peek() == Self.equals else {
            throw DotenvSyntaxError(line: startLine, "expected NAME=value")
        }
        guard !nameBytes.isEmpty else {
            throw DotenvSyntaxError(line: startLine, "the name before '=' is missing")
        }
        guard EntryName.isValid(bytes: nameBytes) else {
            throw DotenvSyntaxError(line: startLine,
                "the name is not a valid Kubernetes Secret key (letters, digits, '-', '_' and '.', at most \(EntryName.maximumLength))")
        }
        let name = String(decoding: nameBytes, as: UTF8.self)
        position += 1
        let blanks = skipBlanks()
        let valueStart = written
        switch peek() {
        case Self.doubleQuote:
            try readDoubleQuoted(startLine: startLine)
            try expectEndOfLine(startLine: startLine)
        case Self.singleQuote:
            try readSingleQuoted(startLine: startLine)
            try expectEndOfLine(startLine: startLine)
        case Self.hash where blanks > 0:
            throw DotenvSyntaxError(line: startLine,
                "a value that starts with '#' after a blank is read as the value by python-dotenv and as a comment by a shell; quote it, or remove the blank for an empty value")
        default:
            readUnquoted()
        }
        return Record(name: name, range: valueStart..<written, line: startLine)
    }

    // MARK: - Values

    private mutating func readUnquoted() {
        let start = position
        skipToEndOfLine()
        var end = position
        // ` # comment`: a '#' after a blank starts a comment; `a#b` is a value.
        var index = start + 1
        while index < end {
            if input[index] == Self.hash, Self.isBlank(input[index - 1]) {
                end = index
                break
            }
            index += 1
        }
        while end > start, Self.isBlank(input[end - 1]) { end -= 1 }
        for index in start..<end { emit(input[index]) }
    }

    private mutating func readDoubleQuoted(startLine: Int) throws(DotenvSyntaxError) {
        position += 1
        while true {
            guard let byte = peek() else {
                throw DotenvSyntaxError(line: startLine, "the double-quoted value is never closed")
            }
            switch byte {
            case Self.doubleQuote:
                position += 1
                return
            case Self.backslash:
                guard let next = peek(1) else {
                    throw DotenvSyntaxError(line: startLine, "the double-quoted value is never closed")
                }
                guard let decoded = Self.escape(next) else {
                    throw DotenvSyntaxError(line: line,
                        "unsupported escape sequence in a double-quoted value (supported: \\n \\r \\t \\\" \\\\ \\$); write \\\\ for a backslash")
                }
                emit(decoded)
                position += 2
            case Self.cr, Self.lf:
                _ = consumeLineBreak()
                emit(Self.lf)
            default:
                emit(byte)
                position += 1
            }
        }
    }

    private mutating func readSingleQuoted(startLine: Int) throws(DotenvSyntaxError) {
        position += 1
        while true {
            guard let byte = peek() else {
                throw DotenvSyntaxError(line: startLine, "the single-quoted value is never closed")
            }
            switch byte {
            case Self.singleQuote:
                position += 1
                return
            case Self.backslash where peek(1) == Self.backslash || peek(1) == Self.singleQuote:
                throw DotenvSyntaxError(line: line,
                    "\\\\ or \\' inside single quotes means one character to python-dotenv and two to a shell; use double quotes with \\\\ and \\\" instead")
            case Self.cr, Self.lf:
                _ = consumeLineBreak()
                emit(Self.lf)
            default:
                emit(byte)
                position += 1
            }
        }
    }

    /// After a closing quote: blanks, an optional `# comment`, then the end of the line.
    private mutating func expectEndOfLine(startLine: Int) throws(DotenvSyntaxError) {
        skipBlanks()
        if peek() == Self.hash { skipToEndOfLine() }
        guard let byte = peek(), !Self.isLineBreak(byte) else { return }
        throw DotenvSyntaxError(line: line, "unexpected text after the closing quote")
    }

    private static func escape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "n"): lf
        case UInt8(ascii: "r"): cr
        case UInt8(ascii: "t"): tab
        case doubleQuote, backslash, UInt8(ascii: "$"): byte
        default: nil
        }
    }

    // MARK: - Bytes

    private func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < input.count ? input[position + offset] : nil
    }

    private mutating func emit(_ byte: UInt8) {
        output[written] = byte
        written += 1
    }

    @discardableResult
    private mutating func skipBlanks() -> Int {
        let start = position
        while let byte = peek(), Self.isBlank(byte) { position += 1 }
        return position - start
    }

    private mutating func skipToEndOfLine() {
        while let byte = peek(), !Self.isLineBreak(byte) { position += 1 }
    }

    /// Consumes one line break (CRLF, CR or LF) and counts it.
    private mutating func consumeLineBreak() -> Bool {
        guard let byte = peek(), Self.isLineBreak(byte) else { return false }
        position += 1
        if byte == Self.cr, peek() == Self.lf { position += 1 }
        line += 1
        return true
    }

    private func startsWithExportKeyword() -> Bool {
        let keyword = Array("export".utf8)
        guard position + keyword.count < input.count else { return false }
        for (offset, byte) in keyword.enumerated() where input[position + offset] != byte { return false }
        return Self.isBlank(input[position + keyword.count])
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }
    private static func isLineBreak(_ byte: UInt8) -> Bool { byte == lf || byte == cr }
}
