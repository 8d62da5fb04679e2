import Foundation
import Testing
/// Byte-sequence search for leak checks.
extension Array where Element == UInt8 {
    /// Whether `needle` occurs in `self` as a contiguous run.
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, self[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}

extension String {
    var utf8Bytes: [UInt8] { Array(utf8) }
}

/// Writes a script that a test then runs, from a child process (`/bin/sh -c 'cat > PATH'`).
///
/// Tests run in parallel, and any of them may fork (to start secretctl's kubectl, git, a
/// helper) while this process holds a file open for writing: the child inherits that
/// descriptor until it execs, and an exec of the file meanwhile fails with ETXTBSY ("Text file
/// busy"). Written by another process, which has exited before the script runs, the file is
/// never open for writing in this one.
func writeExecutable(_ bytes: [UInt8], to path: String, mode: mode_t = 0o755) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "umask 077 && cat > \"$1\" && chmod \"$2\" \"$1\"", "sh", path, String(mode, radix: 8)]
    let input = Pipe()
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "cannot write \(path)")
}
