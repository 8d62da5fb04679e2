package import SecretctlCrypto

/// Reads an import file into checked entries: the format (given or detected), then every
/// rule at once, so one run reports every problem: valid names, no name twice, values of at
/// most 1 MiB, and no empty value unless allowed. Exit code 64 for every problem with the file.
package enum ImportReader {
    /// The largest file `import` reads.
    package static let maximumFileSize = 64 << 20

    package struct Result: Sendable {
        package var format: ImportFormat
        package var entries: [ImportedEntry]
        /// Kinds of manifest documents that were not Secrets.
        package var skippedKinds: [String]
    }

    package static func read(_ input: SecureBytes, source: String, format: ImportFormat?, allowEmpty: Bool) throws(SecretctlError) -> Result {
        let format = format ?? input.withUnsafeBytes { ImportFormat.detect($0) }
        var skippedKinds: [String] = []
        let entries: [ImportedEntry]
        switch format {
        case .env:
            do {
                entries = try DotenvParser.parse(input).map { ImportedEntry(name: $0.name, value: $0.value, origin: "line \($0.line)") }
            } catch {
                throw SecretctlError(.usage, "\(source), \(error)",
                    hint: "secretctl does not show the line's text, which may hold a value; see 'secretctl import --help' for the syntax")
            }
        case .secret:
            let result = try SecretManifestReader.read(input, source: source)
            entries = result.entries
            skippedKinds = result.skippedKinds
        }
        try check(entries, source: source, allowEmpty: allowEmpty)
        return Result(format: format, entries: entries, skippedKinds: skippedKinds)
    }

    private static func check(_ entries: [ImportedEntry], source: String, allowEmpty: Bool) throws(SecretctlError) {
        guard !entries.isEmpty else {
            throw SecretctlError(.usage, "\(source) holds no values; nothing was imported")
        }
        var first: [String: String] = [:]
        var repeated: [String] = []
        for entry in entries {
            if let problem = EntryName.problem(entry.name) { throw SecretctlError(.usage, "\(source), \(entry.origin): \(problem)") }
            if let earlier = first[entry.name] {
                repeated.append("\(entry.name) (\(earlier) and \(entry.origin))")
            } else {
                first[entry.name] = entry.origin
            }
        }
        if !repeated.isEmpty {
            throw SecretctlError(.usage, "\(source) sets \(list(repeated)) more than once; nothing was imported",
                hint: "keep one line per name, so there is no doubt which value is meant")
        }
        let large = entries.filter { $0.value.count > VaultContents.maximumValueSize }.map { "\($0.name) (\($0.value.count) bytes)" }
        if !large.isEmpty {
            throw SecretctlError(.usage, "\(list(large)) \(large.count == 1 ? "is" : "are") over 1 MiB, the most a Kubernetes Secret holds; nothing was imported")
        }
        let empty = entries.filter(\.value.isEmpty).map { "\($0.name) (\($0.origin))" }
        if !empty.isEmpty, !allowEmpty {
            throw SecretctlError(.usage, "\(source) has empty values for \(list(empty)); nothing was imported",
                hint: "fill them in, or pass --allow-empty if empty values are intended")
        }
    }

    static func list(_ items: [String]) -> String { items.joined(separator: ", ") }
}
