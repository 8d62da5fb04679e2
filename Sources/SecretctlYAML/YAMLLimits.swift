/// Bounds on what one stream may build, so a hostile file cannot exhaust the stack or the CPU.
package struct YAMLLimits: Equatable, Sendable {
    /// Nesting of collections, counting the scalars at the bottom (a top-level scalar is depth 1).
    /// Aliases count at the depth they are used.
    package var maxDepth: Int
    /// Nodes in the whole stream, an alias counting as every node it stands for: a stream of
    /// nested aliases ("billion laughs") is refused long before anyone walks it.
    package var maxNodes: Int

    package init(maxDepth: Int = 256, maxNodes: Int = 1_000_000) {
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    package static let standard = YAMLLimits()
}
