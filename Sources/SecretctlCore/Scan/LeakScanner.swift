#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Subprocess

/// Runs a scan over one kind of source: the work tree, given paths, the staged changes,
/// the whole history, or a stream. The needles and the automaton are built once.
package struct LeakScanner: Sendable {
    package static let defaultMaximumFileSize = 50 << 20

    package let needles: NeedleSet
    package let matcher: MultiPatternMatcher
    package let git: GitRunner
    package let maximumFileSize: Int

    package init(needles: NeedleSet, environment: ProcessEnvironment, maximumFileSize: Int = LeakScanner.defaultMaximumFileSize) {
        self.needles = needles
        self.matcher = MultiPatternMatcher(needles: needles.needles)
        self.git = GitRunner(environment: environment)
        self.maximumFileSize = maximumFileSize
    }

    // MARK: - Files

    /// Tracked files and untracked files git does not ignore, in the work tree holding `directory`.
    package func scanWorkTree(from directory: String) async throws(SecretctlError) -> ScanReport {
        guard let repository = try await GitRepository.find(from: directory, git: git) else {
            throw SecretctlError(.usage, "\(directory) is not inside a git work tree",
                hint: "run 'secretctl scan' in a git repository, or name the files and folders to scan: secretctl scan PATH...")
        }
        let paths = try await repository.workTreeFiles()
        let files = paths.map { FileScanner.File(displayPath: $0, absolutePath: Path.join(repository.topLevel, $0)) }
        var report = await FileScanner(matcher: matcher, maximumFileSize: maximumFileSize).scan(files, needles: needles)
        report.sort()
        return report
    }

    /// The given files, and the files under the given folders: inside a work tree, those git
    /// does not ignore; in a folder git ignores or outside git, every file (`.git` left out).
    package func scanPaths(_ paths: [String], workingDirectory: String) async throws(SecretctlError) -> ScanReport {
        var files: [FileScanner.File] = []
        for path in paths {
            let absolute = Path.absolute(path, from: workingDirectory)
            var info = stat()
            guard lstat(absolute, &info) == 0 else {
                throw SecretctlError(.noInput, "cannot scan \(path): \(FileSystem.errorText())")
            }
            if info.st_mode & S_IFMT != S_IFDIR {
                files.append(.init(displayPath: path, absolutePath: absolute))
                continue
            }
            if let repository = try await GitRepository.find(from: absolute, git: git),
                try await !repository.isIgnored(absolute) {
                for relative in try await repository.workTreeFiles(in: absolute) {
                    files.append(.init(displayPath: Path.join(path, relative), absolutePath: Path.join(absolute, relative)))
                }
            } else {
                for relative in DirectoryWalker.files(under: absolute) {
                    files.append(.init(displayPath: Path.join(path, relative), absolutePath: Path.join(absolute, relative)))
                }
            }
        }
        var report = await FileScanner(matcher: matcher, maximumFileSize: maximumFileSize).scan(files, needles: needles)
        report.sort()
        return report
    }

    // MARK: - Git objects

    /// What is staged for the next commit: the index's version of every changed file.
    package func scanStaged(from directory: String) async throws(SecretctlError) -> ScanReport {
        let repository = try await requireRepository(from: directory)
        let blobs = try await repository.stagedBlobs()
        guard !blobs.isEmpty else { return ScanReport() }
        // Each object is read once, however many staged paths hold it. Requests carry an index,
        // so paths never pass through cat-file's line protocol.
        var objects: [String] = []
        var pathsOf: [String: [String]] = [:]
        for blob in blobs {
            if pathsOf[blob.object] == nil { objects.append(blob.object) }
            pathsOf[blob.object, default: []].append(blob.path)
        }
        let requests = objects.enumerated().map { "\($0.element) \($0.offset)\n" }.joined()
        let result = try await BlobScanner(matcher: matcher, maximumFileSize: maximumFileSize).scan(repository) { writer in
            _ = try await writer.write(Array(requests.utf8))
        }
        var report = result.report
        report.skipped = report.skipped.flatMap { skipped -> [ScanReport.Skipped] in
            guard let index = Int(skipped.path), objects.indices.contains(index) else { return [skipped] }
            return (pathsOf[objects[index]] ?? []).map { ScanReport.Skipped(path: $0, reason: skipped.reason) }
        }
        for hit in result.hits {
            for path in pathsOf[hit.object] ?? [] {
                report.add(hit.hits, path: path, needles: needles)
                if hit.truncated { report.truncated.append(path) }
            }
        }
        report.sort()
        return report
    }

    /// Every blob reachable from any ref: `git rev-list --objects --all` piped into one
    /// `git cat-file --batch`. Each finding names the commit that introduced the blob.
    package func scanHistory(from directory: String) async throws(SecretctlError) -> ScanReport {
        let repository = try await requireRepository(from: directory)
        let environment = git.subprocessEnvironment
        let top = repository.topLevel
        let result = try await BlobScanner(matcher: matcher, maximumFileSize: maximumFileSize).scan(repository) { writer in
            let listing = try await Subprocess.run(
                .name("git"),
                arguments: ["-C", top, "rev-list", "--objects", "--all", "--filter=object:type=blob", "--filter-provided-objects"],
                environment: environment, input: .none, output: .sequence, error: .string(limit: 64 << 10)
            ) { execution in
                for try await buffer in execution.standardOutput {
                    _ = try await writer.write(buffer.withUnsafeBytes { Array($0) })
                }
            }
            guard case .exited(0) = listing.terminationStatus else {
                throw SecretctlError(.system, "git rev-list failed: \(listing.standardError.split(separator: "\n").first.map(String.init) ?? "")")
            }
        }
        var report = result.report
        for hit in result.hits {
            var path = hit.label
            var commit = "unknown"
            if let origin = try await repository.introducingCommit(of: hit.object) {
                commit = origin.commit
                path = origin.path
            }
            report.add(hit.hits, path: path, commit: commit, needles: needles)
            if hit.truncated { report.truncated.append("\(commit.prefix(12)):\(path)") }
        }
        report.sort()
        return report
    }

    // MARK: - A stream

    /// Scans a stream read by `read` (which fills the buffer and returns the count, 0 at the end).
    package func scanStream(
        name: String, read: (UnsafeMutableRawBufferPointer) throws(SecretctlError) -> Int
    ) throws(SecretctlError) -> ScanReport {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileScanner.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var scanner = StreamScanner(matcher: matcher)
        var total = 0
        while true {
            let count = try read(buffer)
            if count == 0 { break }
            total += count
            scanner.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        var report = ScanReport()
        report.scannedCount = 1
        report.scannedBytes = total
        report.add(scanner.hits, path: name, needles: needles)
        if scanner.truncated { report.truncated.append(name) }
        report.sort()
        return report
    }

    private func requireRepository(from directory: String) async throws(SecretctlError) -> GitRepository {
        guard let repository = try await GitRepository.find(from: directory, git: git) else {
            throw SecretctlError(.usage, "\(directory) is not inside a git work tree", hint: "--staged and --history read a git repository")
        }
        return repository
    }
}
