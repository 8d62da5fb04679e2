/// The order a stream is applied in: what other objects need first (Namespaces, then
/// CustomResourceDefinitions), then everything else in the order it was given.
package enum ApplyOrder {
    private static let first = ["Namespace", "CustomResourceDefinition"]

    /// The indices of `documents`, in apply order (stable within a rank).
    package static func indices(_ documents: [ManifestDocument]) -> [Int] {
        func rank(_ index: Int) -> Int { documents[index].kind.flatMap { first.firstIndex(of: $0) } ?? first.count }
        return documents.indices.sorted { (rank($0), $0) < (rank($1), $1) }
    }
}
