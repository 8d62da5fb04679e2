/// The type of a node under the YAML 1.1 types (what Kubernetes's YAML reader, go-yaml v2,
/// resolves), or another explicit tag.
package enum YAMLTag: Equatable, Hashable, Sendable, CustomStringConvertible {
    case str, null, bool, int, float, timestamp, merge, value
    case map, seq
    /// An explicit tag outside the types above, such as `!secret`.
    case other(String)

    private static let prefix = "tag:yaml.org,2002:"
    private static let named: [YAMLTag] = [.str, .null, .bool, .int, .float, .timestamp, .merge, .value, .map, .seq]

    /// The tag an explicit `!!name` or `!name` stands for. The non-specific `!` means "not
    /// guessed": a string for a scalar.
    package init(explicit tag: String) {
        if tag == "!" {
            self = .str
        } else if tag.hasPrefix(Self.prefix), let known = Self.named.first(where: { $0.description == tag.dropFirst(Self.prefix.count) }) {
            self = known
        } else {
            self = .other(tag)
        }
    }

    /// The short name (`int`), or the whole tag for others.
    package var description: String {
        switch self {
        case .str: "str"
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .timestamp: "timestamp"
        case .merge: "merge"
        case .value: "value"
        case .map: "map"
        case .seq: "seq"
        case let .other(tag): tag
        }
    }
}
