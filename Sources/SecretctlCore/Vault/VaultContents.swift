/// Everything inside a vault's encrypted payload.
package struct VaultContents: Sendable {
    package static let maximumEntries = 100_000
    package static let maximumValueSize = 1 << 20

    package private(set) var entries: [String: Entry]

    package init(entries: [Entry] = []) {
        self.entries = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    }

    /// Entry names, sorted by their bytes (the order of the payload).
    package var names: [String] { entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    package var sortedEntries: [Entry] { names.map { entries[$0]! } }

    package subscript(name: String) -> Entry? {
        get { entries[name] }
        set { entries[name] = newValue }
    }

    package var isEmpty: Bool { entries.isEmpty }
    package var count: Int { entries.count }
}
