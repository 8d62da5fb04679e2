@testable import SecretctlCore
import Testing

/// The `git cat-file --batch` stream parser, fed in pieces of every size.
struct ScanCatFileTests {
    static let stream = Array((
        "aaaa blob 5 0\nhello\n"
        + "bbbb blob 0 1\n\n"
        + "cccc missing\n"
        + "dddd blob 12 path with spaces.txt\nline1\nline2\n\n").utf8)

    @Test("headers and contents come out whole whatever the chunking", arguments: [1, 2, 3, 7, 1000])
    func parse(chunk: Int) throws {
        var parser = CatFileBatchParser()
        var headers: [String] = []
        var bodies: [[UInt8]] = []
        var current: [UInt8] = []
        try Self.stream.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(all.count, offset + chunk)
                try parser.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]), onHeader: { header in
                    headers.append("\(header.objectName)|\(header.type)|\(header.size)|\(header.rest)|\(header.isMissing)")
                }, onBody: { part, isLast in
                    current.append(contentsOf: part)
                    if isLast {
                        bodies.append(current)
                        current = []
                    }
                })
                offset = end
            }
        }
        #expect(parser.isAtBoundary)
        #expect(headers == ["aaaa|blob|5|0|false", "bbbb|blob|0|1|false", "cccc|missing|0||true", "dddd|blob|12|path with spaces.txt|false"])
        #expect(bodies.map { String(decoding: $0, as: UTF8.self) } == ["hello", "", "line1\nline2\n"])
    }

    @Test("a stream out of step is an error, not a guess")
    func outOfStep() {
        var parser = CatFileBatchParser()
        let broken = Array("aaaa blob 2 0\nhiX".utf8)
        #expect(throws: SecretctlError.self) {
            try broken.withUnsafeBytes { try parser.feed($0, onHeader: { _ in }, onBody: { _, _ in }) }
        }
    }
}
