import SecretctlCore
import SecretctlCrypto
import Testing

/// Better Auth's BETTER_AUTH_SECRETS list, kept by `rotate --keep-previous`.
struct KubeVersionedSecretsTests {
    static func vault(legacy: String = "legacy-secret-0123456789", recipe: Recipe? = Recipe(bytes: 32, encoding: .base64), version: UInt32 = 3) -> VaultContents {
        VaultContents(entries: [
            Entry(name: "BETTER_AUTH_SECRET", recipe: recipe,
                versions: [EntryVersion(number: version, created: 0, value: KubeTestTools.value(legacy))]),
        ])
    }

    static func list(_ contents: VaultContents) throws -> [(UInt32, String)] {
        let entry = try #require(contents["BETTER_AUTH_SECRETS"], "no BETTER_AUTH_SECRETS entry")
        return try VersionedSecrets.parse(entry.current.value).map { item in
            (item.version, item.value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
        }
    }

    @Test func theFirstRotationStartsTheListFromTheLegacySecret() throws {
        var contents = Self.vault()
        let rotation = try VersionedSecrets.rotate(&contents, keep: 1, now: 10, vaultPath: "v")
        #expect(rotation == VersionedSecrets.Rotation(current: 4, kept: [3], dropped: [], created: true, entryVersion: 1))
        let list = try Self.list(contents)
        #expect(list.map(\.0) == [4, 3])
        #expect(list[1].1 == "legacy-secret-0123456789")
        #expect(list[0].1.count == 44, "a new value by the entry's recipe (32 bytes, base64)")
        // Better Auth decrypts pre-list data with BETTER_AUTH_SECRET: it must not change.
        #expect(contents["BETTER_AUTH_SECRET"]?.current.value.equals(KubeTestTools.value("legacy-secret-0123456789")) == true)
        #expect(contents["BETTER_AUTH_SECRET"]?.versions.count == 1)
        #expect(contents["BETTER_AUTH_SECRETS"]?.recipe == nil)
    }

    @Test(arguments: [(0, [5], [4, 3]), (1, [5, 4], [3]), (2, [5, 4, 3], [])])
    func laterRotationsKeepTheAskedNumberOfPreviousSecrets(keep: Int, versions: [UInt32], dropped: [UInt32]) throws {
        var contents = Self.vault()
        _ = try VersionedSecrets.rotate(&contents, keep: 2, now: 10, vaultPath: "v")
        let before = try Self.list(contents)
        let rotation = try VersionedSecrets.rotate(&contents, keep: keep, now: 20, vaultPath: "v")
        let after = try Self.list(contents)
        #expect(after.map(\.0) == versions)
        #expect(rotation.dropped == dropped && !rotation.created && rotation.entryVersion == 2)
        #expect(Array(after.dropFirst().map(\.1)) == Array(before.prefix(keep).map(\.1)))
        #expect(after[0].1 != before[0].1)
    }

    @Test func aHandSetLegacySecretRotatesWithTheDefaultRecipe() throws {
        var contents = Self.vault(recipe: nil)
        _ = try VersionedSecrets.rotate(&contents, keep: 1, now: 10, vaultPath: "v")
        #expect(try Self.list(contents)[0].1.count == 44)
    }

    @Test(arguments: ["has,comma-in-it-0123456789", "has:colon-in-it-0123456789", ""])
    func aLegacySecretTheListCannotHoldIsRefused(legacy: String) throws {
        var contents = Self.vault(legacy: legacy)
        let error = try #require(throws: SecretctlError.self) { try VersionedSecrets.rotate(&contents, keep: 1, now: 10, vaultPath: "v") }
        #expect(error.message.contains("BETTER_AUTH_SECRET"))
        if !legacy.isEmpty { #expect(!error.message.contains(legacy)) }
        #expect(contents["BETTER_AUTH_SECRETS"] == nil, "nothing changed")
    }

    @Test func withoutTheLegacySecretThereIsNothingToRotate() throws {
        var contents = VaultContents()
        #expect(throws: SecretctlError.self) { try VersionedSecrets.rotate(&contents, keep: 1, now: 10, vaultPath: "v") }
    }

    @Test(arguments: ["2:a,2:b", "x:a", "2a", ":a", "2:", "2:a,,1:b", "-1:a", "99999999999:a"])
    func malformedListsAreRefusedWithoutQuotingThem(text: String) throws {
        let error = try #require(throws: SecretctlError.self) { try VersionedSecrets.parse(KubeTestTools.value(text)) }
        #expect(error.message.hasPrefix("BETTER_AUTH_SECRETS in the vault is not a list"))
        #expect(!error.message.contains(text))
    }

    @Test func parseAndEncodeRoundTrip() throws {
        let items = try VersionedSecrets.parse(KubeTestTools.value("10:new,7:mid,1:o:ld"))
        #expect(items.map(\.version) == [10, 7, 1])
        #expect(VersionedSecrets.encode(items).equals(KubeTestTools.value("10:new,7:mid,1:o:ld")))
    }
}
