import Subprocess

/// Scans git objects through one `git cat-file --batch` process: requests go in on its
/// stdin, contents come back on its stdout and go through the matcher chunk by chunk,
/// so no blob is ever held whole and no process is started per object.
struct BlobScanner {
    struct Result {
        var report = ScanReport()
        /// Blobs with hits, with the name the request gave them.
        var hits: [(object: String, label: String, hits: [ScanHit], truncated: Bool)] = []
    }

    let matcher: MultiPatternMatcher
    let maximumFileSize: Int

    /// Runs cat-file in `repository`; `feed` writes `<object> <label>` request lines.
    func scan(
        _ repository: GitRepository, feed: @escaping @Sendable (StandardInputWriter) async throws -> Void
    ) async throws(SecretctlError) -> Result {
        var result = Result()
        var parser = CatFileBatchParser()
        var scanner: StreamScanner?
        var current: CatFileHeader?
        let limit = maximumFileSize
        let matcher = matcher
        let outcome = try await repository.git.stream(
            ["cat-file", CatFileHeader.format], in: repository.topLevel, feed: feed
        ) { (chunk: UnsafeRawBufferPointer) throws(SecretctlError) in
            try parser.feed(chunk, onHeader: { (header: CatFileHeader) throws(SecretctlError) in
                current = header
                scanner = nil
                if header.isMissing {
                    result.report.skipped.append(.init(path: header.rest, reason: "git object \(header.objectName) is missing"))
                } else if header.type != "blob" {
                    return
                } else if header.size > limit {
                    result.report.skipped.append(.init(
                        path: header.rest,
                        reason: "\(ByteSize.describe(header.size)), above --max-file-size \(ByteSize.describe(limit))"))
                } else {
                    scanner = StreamScanner(matcher: matcher)
                }
            }, onBody: { part, isLast in
                guard scanner != nil else { return }
                scanner!.feed(part, isLast: isLast)
                if isLast, let done = scanner, let header = current {
                    result.report.scannedCount += 1
                    result.report.scannedBytes += header.size
                    if !done.hits.isEmpty || done.truncated {
                        result.hits.append((header.objectName, header.rest, done.hits, done.truncated))
                    }
                    scanner = nil
                }
            })
        }
        guard outcome.status == 0 else {
            throw SecretctlError(.system, "git cat-file failed: \(outcome.stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(outcome.status)")")
        }
        guard parser.isAtBoundary else { throw SecretctlError(.system, "git cat-file stopped in the middle of an object") }
        return result
    }
}
