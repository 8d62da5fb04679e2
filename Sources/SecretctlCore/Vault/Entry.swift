/// How `generate` made a value, so `rotate` can make the next one the same way.
package struct Recipe: Equatable, Sendable {
    package enum Encoding: UInt8, Sendable, CaseIterable {
        case base64 = 0
        case base64url = 1
        case hex = 2

        package var name: String {
            switch self {
            case .base64: "base64"
            case .base64url: "base64url"
            case .hex: "hex"
            }
        }

        package init?(name: String) {
            guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = match
        }
    }

    package static let maximumBytes = 1 << 20

    package var bytes: Int
    package var encoding: Encoding

    package init(bytes: Int, encoding: Encoding) {
        self.bytes = bytes
        self.encoding = encoding
    }

    package var summary: String { "random \(bytes) bytes, \(encoding.name)" }
}

/// One value of an entry, with its version number and creation time.
package struct EntryVersion: Sendable {
    package var number: UInt32
    /// Seconds since the Unix epoch.
    package var created: Int64
    package var value: SecretValue

    package init(number: UInt32, created: Int64, value: SecretValue) {
        self.number = number
        self.created = created
        self.value = value
    }
}

/// A named secret: its current value and the previous ones kept for rollback.
package struct Entry: Sendable {
    package static let defaultHistoryLimit = 5
    package static let maximumHistoryLimit = 100

    package var name: String
    package var recipe: Recipe?
    /// How many previous values are kept beside the current one.
    package var historyLimit: Int
    /// Newest (current) first; never empty.
    package var versions: [EntryVersion]

    package init(name: String, recipe: Recipe?, historyLimit: Int = Entry.defaultHistoryLimit, versions: [EntryVersion]) {
        precondition(!versions.isEmpty, "an entry has at least one version")
        self.name = name
        self.recipe = recipe
        self.historyLimit = historyLimit
        self.versions = versions
    }

    package var current: EntryVersion { versions[0] }

    /// Makes `value` current as the next version, keeping at most `historyLimit` previous ones.
    ///
    /// When a version has to go, the oldest one whose value a newer version also holds goes
    /// first, and only then the oldest: a rollback (or a `set` back to an earlier value) copies
    /// a value forward, so dropping the older copy loses nothing, while dropping the oldest
    /// version would push a real earlier value out each time.
    package mutating func push(_ value: SecretValue, at time: Int64) {
        let next = EntryVersion(number: current.number + 1, created: time, value: value)
        versions.insert(next, at: 0)
        while versions.count > historyLimit + 1 {
            let duplicate = versions.indices.dropFirst().last { index in
                versions[..<index].contains { $0.value.equals(versions[index].value) }
            }
            versions.remove(at: duplicate ?? versions.count - 1)
        }
    }
}
