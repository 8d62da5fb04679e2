/// A YAML mapping: its pairs in the order written. Keys are unique (the composer refuses a
/// repeated key), so a lookup finds at most one value.
package struct YAMLMapping: RandomAccessCollection, Equatable, Hashable, Sendable {
    package typealias Element = (key: YAMLNode, value: YAMLNode)

    package var keys: [YAMLNode]
    package var values: [YAMLNode]
    /// The explicit tag, or nil.
    package var tag: String?
    package var mark: YAMLMark

    package init(_ pairs: [Element], tag: String? = nil, mark: YAMLMark = YAMLMark(line: 1, column: 1)) {
        keys = pairs.map(\.key)
        values = pairs.map(\.value)
        self.tag = tag
        self.mark = mark
    }

    package var startIndex: Int { keys.startIndex }
    package var endIndex: Int { keys.endIndex }
    package subscript(position: Int) -> Element { (keys[position], values[position]) }

    /// The value of the scalar key with this text, whatever its style (`kind` and `"kind"` alike).
    package subscript(key: String) -> YAMLNode? {
        keys.firstIndex { $0.scalar?.text == key }.map { values[$0] }
    }
}
