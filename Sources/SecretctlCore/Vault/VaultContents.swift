/// Everything inside a vault's encrypted payload.
///
/// The entries are kept in payload order (sorted by name bytes, unique), so a decoded
/// vault needs no sort and no hashing, encoding walks the array as it is, and a lookup is a
/// binary search.
package struct VaultContents: Sendable {
    package static let maximumEntries = 100_000
    package static let maximumValueSize = 1 << 20

    /// Every entry, sorted by name bytes, without duplicates.
    package private(set) var sortedEntries: [Entry]

    /// `entries` in any order; when two have the same name, the later one is kept.
    package init(entries: [Entry] = []) {
        let order = entries.indices.sorted { a, b in
            let difference = Self.compare(entries[a].name, entries[b].name)
            return difference != 0 ? difference < 0 : a < b
        }
        var sorted: [Entry] = []
        sorted.reserveCapacity(entries.count)
        for index in order {
            if let last = sorted.last, last.name == entries[index].name {
                sorted[sorted.count - 1] = entries[index]
            } else {
                sorted.append(entries[index])
            }
        }
        sortedEntries = sorted
    }

    /// Entries the caller has already checked to be sorted by name bytes and unique (a decoded payload).
    init(sortedUniqueEntries: [Entry]) {
        sortedEntries = sortedUniqueEntries
    }

    /// The entries by name. Builds a dictionary on every call: prefer `sortedEntries` or the subscript.
    package var entries: [String: Entry] {
        Dictionary(sortedEntries.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    }

    /// Entry names, sorted by their bytes (the order of the payload).
    package var names: [String] { sortedEntries.map(\.name) }

    /// Setting an entry stores it under `name` (its own `name` is set to match); nil removes it.
    package subscript(name: String) -> Entry? {
        get {
            let (index, found) = position(of: name)
            return found ? sortedEntries[index] : nil
        }
        set {
            let (index, found) = position(of: name)
            switch (newValue, found) {
            case (var entry?, true):
                entry.name = name
                sortedEntries[index] = entry
            case (var entry?, false):
                entry.name = name
                sortedEntries.insert(entry, at: index)
            case (nil, true):
                sortedEntries.remove(at: index)
            case (nil, false):
                break
            }
        }
    }

    package var isEmpty: Bool { sortedEntries.isEmpty }
    package var count: Int { sortedEntries.count }

    /// Where `name` is, or where it would be inserted.
    private func position(of name: String) -> (index: Int, found: Bool) {
        var name = name
        return name.withUTF8 { key in
            var low = 0
            var high = sortedEntries.count
            while low < high {
                let middle = (low + high) / 2
                var candidate = sortedEntries[middle].name
                let difference = candidate.withUTF8 { Self.compare($0, key) }
                if difference == 0 { return (middle, true) }
                if difference < 0 { low = middle + 1 } else { high = middle }
            }
            return (low, false)
        }
    }

    /// Byte order of two names: negative, zero or positive.
    package static func compare(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { a in b.withUTF8 { b in compare(a, b) } }
    }

    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        var index = 0
        while index < common {
            if a[index] != b[index] { return Int(a[index]) - Int(b[index]) }
            index += 1
        }
        return a.count - b.count
    }
}
