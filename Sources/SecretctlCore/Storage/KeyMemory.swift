package import SecretctlCrypto

/// What this machine knows about the data keys of the vaults it has written, as ssh's
/// known_hosts knows host keys: `<config>/known-keys/<vault-id>`, one line per data key that
/// was accepted here, each the key's *check* (never the key).
///
/// A vault in git is written by everyone who can push, and a data key can be replaced by
/// someone who never held the old one: a new key wrapped to every listed recipient opens as
/// usual. So a data key this machine has not accepted is taken only with proof from the key
/// before it: the `key-change` header line, a MAC under the previous key's check that only
/// someone who held the previous data key can make (docs/vault-format.md, "Key changes").
package struct KeyMemory: Sendable {
    /// Lines kept per vault: enough for years of rotations, small enough to read every time.
    package static let maximumEntries = 64

    package let environment: ProcessEnvironment

    package init(environment: ProcessEnvironment) {
        self.environment = environment
    }

    package var folder: String { Path.join(environment.configDirectory, "known-keys") }

    package func path(vaultID: String) -> String { Path.join(folder, vaultID) }

    // MARK: - Checks and proofs

    /// `HKDF-SHA256(IKM = data key, salt = none, info = "secretctl-vault/v1 key check " || vault-id, L = 32)`.
    /// One-way, so the file holding it opens nothing; secret enough that only a holder of the
    /// data key (or of this machine's config folder) can make a key-change proof with it.
    package static func check(dataKey: SecureBytes, vaultID: String) throws(SecretctlError) -> SecureBytes {
        try crypto { () throws(CryptoError) in
            try HKDF.sha256(inputKey: dataKey, salt: [], info: Array("secretctl-vault/v1 key check \(vaultID)".utf8), length: 32)
        }
    }

    /// The `key-change` line's 32 bytes: `HKDF-SHA256(IKM = check(previous), salt = none,
    /// info = "secretctl-vault/v1 key change " || vault-id || " " || hex(check(new)), L = 32)`.
    package static func proof(previous: SecureBytes, new: SecureBytes, vaultID: String) throws(SecretctlError) -> [UInt8] {
        let info = Array("secretctl-vault/v1 key change \(vaultID) ".utf8) + new.withUnsafeBytes { Array(Hex.encode(Array($0)).utf8) }
        let mac = try crypto { () throws(CryptoError) in try HKDF.sha256(inputKey: previous, salt: [], info: info, length: 32) }
        return mac.withUnsafeBytes { Array($0) }
    }

    /// Whether `header`'s key-change line proves that someone who held a key with check
    /// `previous` made the key with check `new`.
    package static func proves(_ header: VaultHeader, previous: SecureBytes, new: SecureBytes) -> Bool {
        guard let line = header.keyChange, let expected = try? proof(previous: previous, new: new, vaultID: header.vaultID) else { return false }
        return SecureBytes(copying: line).constantTimeEquals(SecureBytes(copying: expected))
    }

    // MARK: - The file

    /// The checks accepted on this machine for `vaultID` (empty when none: first use).
    package func known(vaultID: String) -> [SecureBytes] {
        let file = path(vaultID: vaultID)
        guard FileSystem.exists(file), let text = try? FileSystem.readKeyMaterial(file, limit: 1 << 16, what: "key memory") else { return [] }
        return text.withUnsafeBytes { raw in
            raw.split(separator: 0x0A).compactMap { line -> SecureBytes? in
                let words = line.split(separator: 0x20)
                guard words.count == 2, words[0].elementsEqual("check".utf8),
                    let bytes = Hex.decode(String(decoding: words[1], as: UTF8.self)), bytes.count == 32
                else { return nil }
                return SecureBytes(copying: bytes)
            }
        }
    }

    /// Adds `check` to what this machine accepts for `vaultID`, as the one accepted last (the
    /// only one a key-change proof may come from). Best effort: a read-only config folder (some
    /// CI) must not fail a write that already happened; the next write tries again.
    package func remember(_ check: SecureBytes, vaultID: String) {
        var checks = known(vaultID: vaultID)
        if checks.last?.constantTimeEquals(check) == true { return }
        checks.removeAll { $0.constantTimeEquals(check) }
        checks.append(check)
        checks = Array(checks.suffix(Self.maximumEntries))
        var text = "# secretctl key memory for vault \(vaultID): checks of the data keys accepted on this machine\n"
        for item in checks { text += "check " + item.withUnsafeBytes { Hex.encode(Array($0)) } + "\n" }
        do {
            try FileSystem.makeDirectories(folder, mode: 0o700)
            try AtomicFile.write(Array(text.utf8), to: path(vaultID: vaultID), mode: 0o600)
        } catch {
            return
        }
    }

    // MARK: - The decision

    package enum Verdict: Equatable, Sendable {
        /// Accepted here before.
        case known
        /// New, with a key-change line made under a key accepted here.
        case proven
        /// Nothing is known here about this vault: the first key seen is taken (as ssh does).
        case firstUse
        /// New, and nothing accepted here vouches for it.
        case unproven
    }

    /// How `dataKey` (the key that opened `header`'s vault) stands against the `known` checks.
    /// A proof counts only from an `anchor`: by default the check accepted last, because older
    /// keys were held by people who may have been removed since (a removed recipient can make
    /// a valid proof from the key they kept).
    package static func verdict(
        _ header: VaultHeader, dataKey: SecureBytes, known: [SecureBytes], anchors: [SecureBytes]? = nil
    ) throws(SecretctlError) -> Verdict {
        if known.isEmpty { return .firstUse }
        let check = try check(dataKey: dataKey, vaultID: header.vaultID)
        if known.contains(where: { $0.constantTimeEquals(check) }) { return .known }
        let anchors = anchors ?? known.last.map { [$0] } ?? []
        if anchors.contains(where: { proves(header, previous: $0, new: check) }) { return .proven }
        return .unproven
    }

    /// The refusal for an unproven key, naming the vault and the ways out.
    package static func unprovenError(vaultPath: String, trustCommand: String) -> SecretctlError {
        SecretctlError(
            .damaged,
            "\(vaultPath): its data key changed, and no key this machine accepted for it vouches for the new one "
                + "(someone who is not a recipient can commit such a vault); refusing to use it",
            hint: "if a teammate re-keyed it on purpose (rekey, recipients rm, passphrase rm) and you checked with them, "
                + "accept it with '\(trustCommand)'; otherwise restore the last good version from git (git log -p \(vaultPath))")
    }

    private static func crypto<R>(_ body: () throws(CryptoError) -> R) throws(SecretctlError) -> R {
        do {
            return try body()
        } catch {
            throw SecretctlError(.failure, "cryptographic operation failed: \(error)")
        }
    }
}
