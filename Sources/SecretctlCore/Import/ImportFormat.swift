/// What an import file holds.
package enum ImportFormat: String, Sendable, CaseIterable {
    /// `NAME=value` lines.
    case env
    /// Kubernetes Secret manifests, YAML or JSON, one or more documents.
    case secret

    /// Decides by content: a manifest when the first line that is not blank or a `#` comment
    /// starts a YAML document (`---`), a JSON object (`{`), or a `key:` mapping entry;
    /// a dotenv file otherwise (its lines are `NAME=value`).
    package static func detect(_ bytes: UnsafeRawBufferPointer) -> ImportFormat {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\r") { end += 1 }
            var first = start
            while first < end, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t") { first += 1 }
            if first < end, bytes[first] != UInt8(ascii: "#") {
                return looksLikeManifest(UnsafeRawBufferPointer(rebasing: bytes[first..<end])) ? .secret : .env
            }
            start = end + 1
        }
        return .env
    }

    private static func looksLikeManifest(_ line: UnsafeRawBufferPointer) -> Bool {
        if line.starts(with: "---".utf8) || line.first == UInt8(ascii: "{") { return true }
        // `apiVersion: v1`: a key made of name characters, then ':' and a blank or the end.
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return false }
        let key = line[0..<colon]
        let isKey = key.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
        }
        return isKey && (colon + 1 == line.count || line[colon + 1] == UInt8(ascii: " ") || line[colon + 1] == UInt8(ascii: "\t"))
    }
}
