import SecretctlYAML

/// One document of a manifest stream: where it came from, what it is, and its own bytes.
package struct ManifestDocument: Sendable {
    /// The file it was read from, or `stdin`.
    package var source: String
    /// Its position among that source's documents, from 1.
    package var index: Int
    /// Which of the stream's buffers holds its bytes, and where.
    var buffer: Int
    var range: Range<Int>

    package var apiVersion: String?
    package var kind: String?
    package var name: String?
    package var namespace: String?
    /// The parsed document, for the workloads it holds.
    var node: YAMLNode
    /// Set for a Secret whose values secretctl fills (it holds references, or, from a
    /// file, the old empty values); nil for everything that passes through unchanged.
    package var secret: SecretManifest?

    /// `file.yaml (document 2)`, for messages.
    package var place: String { "\(source) (document \(index))" }

    /// `Kind/name`, for reports.
    package var reference: String { "\(kind ?? "?")/\(name ?? "?")" }
}
