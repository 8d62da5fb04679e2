import SecretctlCrypto

/// Collects values and turns each into its needles (see `NeedleEncoder`).
package struct NeedleSetBuilder {
    /// Shorter values are skipped: they would match ordinary text.
    package static let minimumValueLength = 8

    private var candidates: [(bytes: SecureBytes, owner: NeedleOwner)] = []
    private var skippedShort = 0
    private var values = 0

    package init() {}

    /// Adds every form of one value.
    package mutating func add(_ value: SecretValue, name: String, environment: String, version: UInt32, isCurrent: Bool) {
        guard value.count >= Self.minimumValueLength else {
            skippedShort += 1
            return
        }
        values += 1
        value.withUnsafeBytes { raw in
            if raw.count <= NeedleEncoder.wholeValueLimit {
                for (form, bytes) in NeedleEncoder.forms(of: raw) {
                    candidates.append((bytes, NeedleOwner(name: name, environment: environment, version: version, isCurrent: isCurrent, form: form)))
                }
            } else {
                let size = NeedleEncoder.windowSize
                for start in [raw.count / 3 - size / 2, 2 * raw.count / 3 - size / 2] {
                    let window = UnsafeRawBufferPointer(rebasing: raw[start..<start + size])
                    for (form, bytes) in NeedleEncoder.windowForms(of: window) {
                        candidates.append((bytes, NeedleOwner(
                            name: name, environment: environment, version: version, isCurrent: isCurrent, form: form, isPartial: true)))
                    }
                }
            }
        }
    }

    /// Adds the current and every kept previous value of every entry of an opened vault, and
    /// each secret inside a versioned list (`BETTER_AUTH_SECRETS`): after a rotation with
    /// `--keep-previous` the current secret lives only there, and apps read it on its own.
    package mutating func add(_ contents: VaultContents, environment: String) {
        for entry in contents.sortedEntries {
            for (index, version) in entry.versions.enumerated() {
                add(version.value, name: entry.name, environment: environment, version: version.number, isCurrent: index == 0)
                guard entry.name == VersionedSecrets.listName, let items = try? VersionedSecrets.parse(version.value) else { continue }
                for item in items {
                    add(item.value, name: entry.name, environment: environment, version: version.number, isCurrent: index == 0)
                }
            }
        }
    }

    /// The needles, sorted by bytes, equal ones merged with all their owners.
    package func build() -> NeedleSet {
        let order = candidates.indices.sorted { a, b in
            let ordering = Self.compare(candidates[a].bytes, candidates[b].bytes)
            return ordering != 0 ? ordering < 0 : candidates[a].owner.form < candidates[b].owner.form
        }
        var needles: [SecureBytes] = []
        var owners: [[NeedleOwner]] = []
        for index in order {
            let candidate = candidates[index]
            if let last = needles.last, Self.compare(last, candidate.bytes) == 0 {
                if !owners[owners.count - 1].contains(candidate.owner) { owners[owners.count - 1].append(candidate.owner) }
            } else {
                needles.append(candidate.bytes)
                owners.append([candidate.owner])
            }
        }
        return NeedleSet(needles: needles, owners: owners, skippedShortValues: skippedShort, valueCount: values)
    }

    /// Lexicographic comparison of two buffers: negative, zero or positive.
    static func compare(_ a: SecureBytes, _ b: SecureBytes) -> Int {
        a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in
                let shared = min(x.count, y.count)
                for index in 0..<shared where x[index] != y[index] {
                    return Int(x[index]) - Int(y[index])
                }
                return x.count - y.count
            }
        }
    }
}
