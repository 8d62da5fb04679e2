import Foundation
import Testing

extension TestSandbox {
    /// The vault file's lines (the last is the payload).
    func vaultLines(_ path: String) throws -> [String] {
        String(decoding: try read(path), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The `id` of the vault at `path`.
    func vaultID(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let line = try #require(try vaultLines(path).first { $0.hasPrefix("id ") }, "no id line in \(path)", sourceLocation: sourceLocation)
        return String(line.dropFirst(3))
    }

    /// The unlocker lines of the vault at `path` (`key ...`, `passphrase ...`, `recipient ...`).
    func unlockerLines(_ path: String) throws -> [String] {
        try vaultLines(path).filter { $0.hasPrefix("key ") || $0.hasPrefix("passphrase ") || $0.hasPrefix("recipient ") }
    }

    /// Where `init` puts the key file of the vault at `path`.
    func defaultKeyPath(_ path: String) throws -> String { "\(keysFolder)/\(try vaultID(path)).key" }

    /// Replaces the byte at `offset` of `path` with `byte`, keeping the file's mode.
    func overwriteByte(_ path: String, at offset: Int, with byte: UInt8) throws {
        var bytes = try read(path)
        try #require(offset < bytes.count, "offset \(offset) is past the end of \(path)")
        bytes[offset] = byte
        try write(bytes, to: path, mode: mode(path) ?? 0o600)
    }

    /// Moves a file (for example a key file out of the default location).
    func move(_ source: String, to destination: String) throws {
        try FileManager.default.moveItem(atPath: source, toPath: destination)
    }
}

/// A fresh random 32-byte key as `SECRETCTL_KEY` text: valid, but opens nothing.
func randomKeyText() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return Data(bytes).base64EncodedString()
}
