import SecretctlYAML

/// Rewrites an old-style template in place: every `data` key whose value is `""` (or null)
/// gets the reference `secretctl:KEY` (`secretctl:KEY?` when the `secretctl/optional-keys`
/// annotation names it), and that annotation goes. Lines are edited where they stand, so
/// comments and layout stay. It never opens a vault: it reads and writes no value.
package enum TemplateConversion {
    package struct Result: Equatable, Sendable {
        /// The keys that now hold references.
        package var converted: [String]
        /// Whether the optional-keys annotation was removed.
        package var removedAnnotation: Bool
    }

    /// The converted text of `text` (the template at `path`, for messages), or the same text
    /// and an empty result when nothing needed converting.
    package static func convert(_ text: String, path: String) throws(SecretctlError) -> (text: String, result: Result) {
        let template = try SecretTemplate.parse(text, path: path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result = Result(converted: [], removedAnnotation: false)
        let documents = try YAMLDocuments.parse(text, source: path)
        var manifests = template.secrets.makeIterator()
        for document in documents {
            guard case let .mapping(mapping) = document, YAMLDocuments.string(mapping["kind"]) == "Secret",
                let manifest = manifests.next()
            else { continue }
            if case let .mapping(stringData)? = mapping["stringData"], !stringData.isEmpty {
                throw SecretctlError(.failure,
                    "Secret \(manifest.name) in \(path) lists keys under stringData; nothing was changed",
                    hint: "move them under data first (a reference under stringData would be applied as its own text)")
            }
            if case let .mapping(data)? = mapping["data"] {
                for (keyNode, valueNode) in data {
                    guard let key = YAMLDocuments.string(keyNode), manifest.emptyValueKeys.contains(key) else { continue }
                    let reference = SecretReference(entry: key, isOptional: manifest.optionalKeys.contains(key))
                    let index = keyNode.mark.line - 1
                    guard index < lines.count, valueNode.mark.line == keyNode.mark.line,
                        let rewritten = rewrite(lines[index], key: key, reference: reference)
                    else {
                        throw SecretctlError(.failure,
                            "\(path): line \(keyNode.mark.line): the key \(key) is not written as 'KEY: \"\"' on one line; nothing was changed",
                            hint: "write '\(key): \(reference.text)' there yourself")
                    }
                    lines[index] = rewritten
                    result.converted.append(key)
                }
            }
            if let annotations = mapping["metadata"]?["annotations"]?.mapping {
                for (keyNode, _) in annotations where YAMLDocuments.string(keyNode) == SecretManifest.optionalKeysAnnotation {
                    lines[keyNode.mark.line - 1] = "\u{0}"
                    result.removedAnnotation = true
                }
                if result.removedAnnotation, annotations.count == 1 {
                    // The annotations mapping is now empty: drop its key line too.
                    if let line = lineOfKey("annotations", before: annotations.mark.line, in: lines) { lines[line] = "\u{0}" }
                }
            }
        }
        let output = lines.filter { $0 != "\u{0}" }.joined(separator: "\n")
        return (result.converted.isEmpty && !result.removedAnnotation ? text : output, result)
    }

    /// `  KEY: ""  # comment` → `  KEY: secretctl:KEY  # comment`.
    private static func rewrite(_ line: String, key: String, reference: SecretReference) -> String? {
        guard let colon = line.firstRange(of: key + ":") else { return nil }
        let head = line[..<colon.upperBound]
        var rest = line[colon.upperBound...]
        // A comment starts at a '#' after a space; the spaces before it stay as they were.
        var comment = ""
        if let hash = rest.firstRange(of: " #") {
            var start = hash.lowerBound
            while start > rest.startIndex, " \t".contains(rest[rest.index(before: start)]) { start = rest.index(before: start) }
            comment = String(rest[start...])
            rest = rest[..<start]
        }
        let value = rest.trimmingCharacters(in: " \t")
        guard ["", "\"\"", "''", "~", "null"].contains(value) else { return nil }
        return head + " " + reference.text + comment
    }

    private static func lineOfKey(_ key: String, before line: Int, in lines: [String]) -> Int? {
        var index = line - 2
        while index >= 0 {
            if lines[index].trimmingCharacters(in: " \t").hasPrefix(key + ":") { return index }
            index -= 1
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
