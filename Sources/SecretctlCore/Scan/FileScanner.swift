#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Scans files from disk on every core: each worker takes the next file, reads it in
/// 1 MiB chunks and runs it through its own `StreamScanner`. Memory is one buffer per
/// worker, whatever the file sizes.
package struct FileScanner: Sendable {
    package struct File: Sendable {
        /// What a finding shows.
        package var displayPath: String
        /// Where to read it.
        package var absolutePath: String

        package init(displayPath: String, absolutePath: String) {
            self.displayPath = displayPath
            self.absolutePath = absolutePath
        }
    }

    enum Outcome: Sendable {
        case scanned(hits: [ScanHit], truncated: Bool, bytes: Int)
        case skipped(String)
        case ignored
    }

    package static let chunkSize = 1 << 20

    let matcher: MultiPatternMatcher
    let maximumFileSize: Int
    let workers: Int

    package init(matcher: MultiPatternMatcher, maximumFileSize: Int, workers: Int = FileScanner.defaultWorkers) {
        self.matcher = matcher
        self.maximumFileSize = maximumFileSize
        self.workers = max(1, workers)
    }

    package static var defaultWorkers: Int {
        let online = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return max(1, min(16, online))
    }

    /// Scans `files` and returns the report (findings not yet sorted).
    package func scan(_ files: [File], needles: NeedleSet) async -> ScanReport {
        let next = SharedCounter()
        let outcomes = await withTaskGroup(of: [(Int, Outcome)].self) { group in
            for _ in 0..<min(workers, max(files.count, 1)) {
                group.addTask {
                    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
                    defer { buffer.deallocate() }
                    var done: [(Int, Outcome)] = []
                    let files = files
                    while true {
                        let index = next.value.add(1, ordering: .relaxed).oldValue
                        guard index < files.count else { break }
                        done.append((index, scanFile(files[index].absolutePath, buffer: buffer)))
                    }
                    return done
                }
            }
            var all: [(Int, Outcome)] = []
            for await part in group { all.append(contentsOf: part) }
            return all.sorted { $0.0 < $1.0 }
        }
        var report = ScanReport()
        for (index, outcome) in outcomes {
            let path = files[index].displayPath
            switch outcome {
            case let .scanned(hits, truncated, bytes):
                report.scannedCount += 1
                report.scannedBytes += bytes
                if truncated { report.truncated.append(path) }
                if !hits.isEmpty { report.add(hits, path: path, needles: needles) }
            case let .skipped(reason):
                report.skipped.append(.init(path: path, reason: reason))
            case .ignored:
                break
            }
        }
        return report
    }

    /// Reads one file through the matcher. Symbolic links, devices and folders are not
    /// followed or read; a file above the size limit is skipped and reported.
    func scanFile(_ path: String, buffer: UnsafeMutableRawBufferPointer) -> Outcome {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ELOOP || code == ENOTDIR { return .ignored }
            return .skipped("cannot read it: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .skipped("cannot read it: \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { return .ignored }
        let size = Int(info.st_size)
        if size > maximumFileSize { return .skipped("\(ByteSize.describe(size)), above --max-file-size \(ByteSize.describe(maximumFileSize))") }
        var scanner = StreamScanner(matcher: matcher)
        var total = 0
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                return .skipped("cannot read it: \(String(cString: strerror(errno)))")
            }
            if count == 0 {
                if total == 0 || total < size { scanner.feed(UnsafeRawBufferPointer(start: nil, count: 0), isLast: true) }
                break
            }
            total += count
            scanner.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), isLast: total >= size)
            // A file that grows while it is read is read to its end, but no further than the limit.
            if total > maximumFileSize { return .skipped("it grew above --max-file-size while being read") }
        }
        return .scanned(hits: scanner.hits, truncated: scanner.truncated, bytes: total)
    }
}

/// A counter the workers share to hand out files.
final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)
}
