/// The output formats of `render`.
package enum ManifestFormat: String, Sendable, CaseIterable {
    case yaml
    case json
}
