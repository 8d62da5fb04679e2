import SecretctlCrypto

/// Better Auth's versioned secrets: `BETTER_AUTH_SECRETS="3:newest,2:older"`.
/// The first entry is current (all new encryption and signing); the others only
/// decrypt. Better Auth splits on `,` and on the first `:`, so generated values
/// must contain neither.
///
/// `BETTER_AUTH_SECRET` is left as it is: Better Auth decrypts data written
/// before versioned secrets were configured (bare-hex payloads, without a
/// `$ba$<version>$` envelope) with that secret only, so changing it would make
/// such data unreadable.
package enum VersionedSecrets {
    package static let secretName = "BETTER_AUTH_SECRET"
    package static let listName = "BETTER_AUTH_SECRETS"
    /// `openssl rand -base64 32`, what Better Auth's docs suggest, for a
    /// `BETTER_AUTH_SECRET` that was set by hand.
    package static let defaultRecipe = Recipe(bytes: 32, encoding: .base64)
    package static let defaultKeep = 1

    package struct Item: Sendable {
        package var version: UInt32
        package var value: SecretValue

        package init(version: UInt32, value: SecretValue) {
            self.version = version
            self.value = value
        }
    }

    /// What a rotation did.
    package struct Rotation: Equatable, Sendable {
        /// The new current version.
        package var current: UInt32
        /// Previous versions still in the list (decrypt-only), newest first.
        package var kept: [UInt32]
        /// Versions that left the list: data encrypted with them is no longer readable.
        package var dropped: [UInt32]
        /// The list did not exist before: it was seeded from `BETTER_AUTH_SECRET`.
        package var created: Bool
        /// The version of `BETTER_AUTH_SECRETS`'s own vault entry.
        package var entryVersion: UInt32

        package init(current: UInt32, kept: [UInt32], dropped: [UInt32], created: Bool, entryVersion: UInt32) {
            self.current = current
            self.kept = kept
            self.dropped = dropped
            self.created = created
            self.entryVersion = entryVersion
        }
    }

    // MARK: - Rotation

    /// Adds a new current secret to `BETTER_AUTH_SECRETS` and keeps `keep`
    /// previous ones. The first time, the list starts from `BETTER_AUTH_SECRET`
    /// (its version number and value) so data encrypted with it stays readable.
    package static func rotate(_ contents: inout VaultContents, keep: Int, now: Int64, vaultPath: String) throws(SecretctlError) -> Rotation {
        guard (0...Entry.maximumHistoryLimit).contains(keep) else {
            throw SecretctlError(.usage, "--keep must be between 0 and \(Entry.maximumHistoryLimit)")
        }
        let legacy = try VaultEditor.entry(contents, secretName, vaultPath: vaultPath)
        let previous: [Item]
        let created: Bool
        if let list = contents[listName] {
            previous = try parse(list.current.value)
            created = false
        } else {
            try checkUsable(legacy.current.value, name: secretName)
            previous = [Item(version: legacy.current.number, value: legacy.current.value)]
            created = true
        }
        let highest = previous.map(\.version).max() ?? 0
        guard highest < UInt32.max else {
            throw SecretctlError(.failure, "\(listName) has reached the highest version number")
        }
        let fresh = SecretValue(try SecretGenerator.generate(legacy.recipe ?? defaultRecipe))
        try checkUsable(fresh, name: secretName)
        let next = Item(version: highest + 1, value: fresh)
        let kept = Array(previous.prefix(keep))
        let dropped = previous.dropFirst(keep).map(\.version)
        VaultEditor.set(&contents, name: listName, value: encode([next] + kept), recipe: nil, keepRecipe: false, now: now)
        return Rotation(
            current: next.version, kept: kept.map(\.version), dropped: dropped, created: created,
            entryVersion: contents[listName]!.current.number)
    }

    // MARK: - The list format

    /// Parses `version:value,...`; messages never quote a value.
    package static func parse(_ value: SecretValue) throws(SecretctlError) -> [Item] {
        func fail(_ what: String) -> SecretctlError {
            SecretctlError(.failure, "\(listName) in the vault is not a list of version:secret pairs: \(what)",
                hint: "see its versions with 'secretctl history \(listName)'; 'secretctl rollback \(listName)' restores an earlier list")
        }
        var items: [Item] = []
        var seen = Set<UInt32>()
        var start = value.range.lowerBound
        let end = value.range.upperBound
        let commas: [Int] = value.storage.withUnsafeBytes { raw in
            (start..<end).filter { raw[$0] == UInt8(ascii: ",") }
        }
        for stop in commas + [end] {
            let piece = start..<stop
            start = stop + 1
            let colon: Int? = value.storage.withUnsafeBytes { raw in piece.first { raw[$0] == UInt8(ascii: ":") } }
            guard let colon else { throw fail("entry \(items.count + 1) has no ':'") }
            let digits: [UInt8] = value.storage.withUnsafeBytes { raw in Array(raw[piece.lowerBound..<colon]) }
            guard !digits.isEmpty, digits.count <= 10,
                digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let version = UInt32(String(decoding: digits, as: UTF8.self))
            else { throw fail("entry \(items.count + 1) has no integer version") }
            guard colon + 1 < piece.upperBound else { throw fail("version \(version) has an empty secret") }
            guard seen.insert(version).inserted else { throw fail("version \(version) appears twice") }
            items.append(Item(version: version, value: SecretValue(storage: value.storage, range: (colon + 1)..<piece.upperBound)))
        }
        return items
    }

    /// `version:value,...` in a wiping buffer.
    package static func encode(_ items: [Item]) -> SecretValue {
        let prefixes = items.enumerated().map { index, item in (index == 0 ? "" : ",") + "\(item.version):" }
        let count = zip(prefixes, items).reduce(0) { $0 + $1.0.utf8.count + $1.1.value.count }
        let bytes = SecureBytes(count: count) { output in
            var offset = 0
            for (prefix, item) in zip(prefixes, items) {
                for byte in prefix.utf8 {
                    output[offset] = byte
                    offset += 1
                }
                item.value.withUnsafeBytes { value in
                    UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + value.count]).copyMemory(from: value)
                    offset += value.count
                }
            }
        }
        return SecretValue(bytes)
    }

    /// A value can go in the list: not empty, no `,` or `:`.
    package static func checkUsable(_ value: SecretValue, name: String) throws(SecretctlError) {
        if value.isEmpty {
            throw SecretctlError(.failure, "\(name) is empty, so it cannot go in \(listName)")
        }
        if value.contains(byte: UInt8(ascii: ",")) || value.contains(byte: UInt8(ascii: ":")) {
            throw SecretctlError(.failure,
                "\(name) contains ',' or ':', which \(listName) cannot hold (Better Auth splits its entries on them)",
                hint: "give \(name) a new value first ('secretctl generate \(name) --force'); users will have to sign in again")
        }
    }
}
