/// A YAML sequence: its items in order.
package struct YAMLSequence: RandomAccessCollection, Equatable, Hashable, Sendable {
    package var items: [YAMLNode]
    /// The explicit tag, or nil.
    package var tag: String?
    package var mark: YAMLMark

    package init(_ items: [YAMLNode], tag: String? = nil, mark: YAMLMark = YAMLMark(line: 1, column: 1)) {
        self.items = items
        self.tag = tag
        self.mark = mark
    }

    package var startIndex: Int { items.startIndex }
    package var endIndex: Int { items.endIndex }
    package subscript(position: Int) -> YAMLNode { items[position] }
}
