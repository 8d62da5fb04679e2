import SecretctlCore
import SecretctlCrypto
import Testing

/// `VaultMerge`: three-way merge per entry, and of the unlockers as a whole.
@Suite("Team: three-way vault merge")
struct TeamMergeTests {
    static let vaultID = "00112233445566778899aabbccddeeff"

    static func entry(_ name: String, _ value: String, version: UInt32 = 1, at time: Int64 = 100) -> Entry {
        Entry(name: name, recipe: nil, versions: [EntryVersion(number: version, created: time, value: SecretValue(SecureBytes(copying: Array(value.utf8))))])
    }

    static func vault(_ entries: [Entry], unlockers: [Unlocker]? = nil, dataKey: SecureBytes? = nil) throws -> OpenedVault {
        let key = try dataKey ?? SecureRandom.secureBytes(32)
        let lines = try unlockers ?? [VaultCrypto.keyUnlocker(dataKey: key, key: SecureBytes(copying: [UInt8](repeating: 1, count: 32)), keyID: "0011223344556677", vaultID: vaultID)]
        return OpenedVault(header: VaultHeader(vaultID: vaultID, unlockers: lines), dataKey: key, contents: VaultContents(entries: entries))
    }

    static func value(_ vault: OpenedVault, _ name: String) -> String? {
        vault.contents[name].map { $0.current.value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }
    }

    @Test("one-sided changes, additions and removals from both sides are combined")
    func cleanMerge() throws {
        let base = try Self.vault([Self.entry("A", "a1"), Self.entry("B", "b1"), Self.entry("D", "d1")])
        let ours = try Self.vault([Self.entry("A", "a2", version: 2, at: 200), Self.entry("B", "b1"), Self.entry("D", "d1")], unlockers: base.header.unlockers, dataKey: base.dataKey)
        let theirs = try Self.vault([Self.entry("A", "a1"), Self.entry("B", "b1"), Self.entry("C", "c1")], unlockers: base.header.unlockers, dataKey: base.dataKey)
        guard case let .merged(result) = VaultMerge.merge(base: base, ours: ours, theirs: theirs) else {
            Issue.record("expected a clean merge")
            return
        }
        #expect(result.contents.names == ["A", "B", "C"], "D removed by theirs, C added by theirs")
        #expect(Self.value(result, "A") == "a2")
    }

    @Test("changed differently on both sides, or changed on one and removed on the other, is a conflict by name")
    func entryConflicts() throws {
        let base = try Self.vault([Self.entry("A", "a1"), Self.entry("B", "b1"), Self.entry("C", "c1")])
        let ours = try Self.vault([Self.entry("A", "a-ours", version: 2), Self.entry("B", "b-ours", version: 2), Self.entry("C", "c1")], unlockers: base.header.unlockers)
        let theirs = try Self.vault([Self.entry("A", "a-theirs", version: 2), Self.entry("C", "c1")], unlockers: base.header.unlockers)
        guard case let .conflict(entries, unlockers) = VaultMerge.merge(base: base, ours: ours, theirs: theirs) else {
            Issue.record("expected a conflict")
            return
        }
        #expect(entries == ["A", "B"])
        #expect(!unlockers)
    }

    @Test("the same change on both sides is not a conflict")
    func identicalChanges() throws {
        let base = try Self.vault([Self.entry("A", "a1")])
        let changed = [Self.entry("A", "a2", version: 2, at: 500)]
        let outcome = VaultMerge.merge(base: base, ours: try Self.vault(changed, unlockers: base.header.unlockers), theirs: try Self.vault(changed, unlockers: base.header.unlockers))
        guard case .merged = outcome else {
            Issue.record("expected a clean merge")
            return
        }
    }

    @Test("unlockers changed on one side win with that side's data key; changed on both sides conflict")
    func unlockerMerge() throws {
        let base = try Self.vault([Self.entry("A", "a1")])
        let identity = try Identity.generate()
        let added = base.header.unlockers + [try VaultCrypto.recipientUnlocker(dataKey: base.dataKey, recipient: identity.recipient, name: "bob", vaultID: Self.vaultID)]
        let ours = try Self.vault([Self.entry("A", "a2", version: 2)], unlockers: base.header.unlockers, dataKey: base.dataKey)
        let newKey = try SecureRandom.secureBytes(32)
        let theirs = try Self.vault([Self.entry("A", "a1")], unlockers: added, dataKey: newKey)
        guard case let .merged(result) = VaultMerge.merge(base: base, ours: ours, theirs: theirs) else {
            Issue.record("expected a clean merge")
            return
        }
        #expect(result.header.unlockers == added)
        #expect(result.dataKey.constantTimeEquals(newKey), "the header and its data key travel together")
        #expect(Self.value(result, "A") == "a2")

        let otherIdentity = try Identity.generate()
        let oursChanged = try Self.vault([Self.entry("A", "a1")], unlockers: base.header.unlockers
            + [try VaultCrypto.recipientUnlocker(dataKey: base.dataKey, recipient: otherIdentity.recipient, name: "carol", vaultID: Self.vaultID)])
        guard case let .conflict(entries, unlockers) = VaultMerge.merge(base: base, ours: oursChanged, theirs: theirs) else {
            Issue.record("expected a conflict")
            return
        }
        #expect(entries.isEmpty && unlockers)
    }
}
