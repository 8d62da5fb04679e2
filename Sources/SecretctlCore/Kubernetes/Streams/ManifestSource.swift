/// Where `render -f` and `apply -f` read manifests from: a file, a folder (its manifest
/// files, as `kubectl apply -f DIR` reads them), or standard input (`-`).
package enum ManifestSource: Equatable, Sendable {
    case path(String)
    case standardInput

    /// How a document's origin is named in messages.
    package var description: String {
        switch self {
        case let .path(path): path
        case .standardInput: "stdin"
        }
    }
}
