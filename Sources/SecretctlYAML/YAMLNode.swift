/// A composed YAML node. Aliases are already replaced by the node they name; nothing is
/// interpreted beyond YAML's own syntax (no type guessing: see ``YAMLScalar/resolvedTag``).
package enum YAMLNode: Equatable, Hashable, Sendable {
    case scalar(YAMLScalar)
    case mapping(YAMLMapping)
    case sequence(YAMLSequence)

    package var scalar: YAMLScalar? {
        guard case let .scalar(scalar) = self else { return nil }
        return scalar
    }

    package var mapping: YAMLMapping? {
        guard case let .mapping(mapping) = self else { return nil }
        return mapping
    }

    package var sequence: YAMLSequence? {
        guard case let .sequence(sequence) = self else { return nil }
        return sequence
    }

    /// The text of a scalar of any style or tag; nil for collections.
    package var string: String? { scalar?.text }

    /// The value under a string key, for a mapping; nil otherwise.
    package subscript(key: String) -> YAMLNode? { mapping?[key] }

    /// Where the node starts.
    package var mark: YAMLMark {
        switch self {
        case let .scalar(scalar): scalar.mark
        case let .mapping(mapping): mapping.mark
        case let .sequence(sequence): sequence.mark
        }
    }

    /// The tag of the node: a scalar's ``YAMLScalar/resolvedTag``, or `map`/`seq` unless
    /// tagged otherwise.
    package var resolvedTag: YAMLTag {
        switch self {
        case let .scalar(scalar): scalar.resolvedTag
        case let .mapping(mapping): mapping.tag.map(YAMLTag.init(explicit:)) ?? .map
        case let .sequence(sequence): sequence.tag.map(YAMLTag.init(explicit:)) ?? .seq
        }
    }

    /// Whether two nodes hold the same data: texts and structure, ignoring styles and positions.
    /// Two keys are duplicates when this holds.
    package func hasSameContent(as other: YAMLNode) -> Bool {
        switch (self, other) {
        case let (.scalar(left), .scalar(right)):
            return left.text == right.text
        case let (.sequence(left), .sequence(right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.hasSameContent(as: $1) }
        case let (.mapping(left), .mapping(right)):
            return left.count == right.count
                && zip(left, right).allSatisfy { $0.key.hasSameContent(as: $1.key) && $0.value.hasSameContent(as: $1.value) }
        default:
            return false
        }
    }
}
