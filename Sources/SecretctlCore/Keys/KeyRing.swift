internal import SecretctlCrypto

/// The default key file as a ring of keys: what `rekey` writes so that retiring a key never
/// locks out an older copy of the vault, and what `forget-retired-keys` trims.
///
/// Order of durable writes in a rekey (docs/vault-format.md, "Re-keying"): the ring with
/// the new key first and every key the old file held after it replaces the key file
/// (temp file, fsync, rename, fsync of the folder) before the vault that needs the new key
/// is saved. At every moment some key in the file opens the vault on disk.
package enum KeyRing {
    /// The ring a rekey writes: `newKey` first, then every key the default key file (and an
    /// interrupted rekey's `.new`) holds, then the keys from `SECRETCTL_KEY` and
    /// `SECRETCTL_KEY_FILE` that open one of `header`'s `key` lines, so a vault opened from
    /// CI variables does not lose its old key either. Each key gets the key-id of the line
    /// it opens, else the id it had, else a new random one. Duplicates are left out.
    package static func afterRekey(
        newKey: KeyFile.Key, header: VaultHeader, environment: ProcessEnvironment
    ) throws(SecretctlError) -> [KeyFile.Key] {
        let defaultPath = KeyFile.defaultPath(vaultID: header.vaultID, environment: environment)
        var candidates: [KeyFile.Key] = []
        for path in [defaultPath, defaultPath + ".new"] where FileSystem.exists(path) {
            candidates += try KeyFile.readAll(path)
        }
        var explicit: [KeyFile.Key] = []
        if let text = environment["SECRETCTL_KEY"] {
            explicit += try KeyFile.decodeAll(SecureBytes(copying: Array(text.utf8)), source: "SECRETCTL_KEY")
        }
        if let path = environment["SECRETCTL_KEY_FILE"] { explicit += try KeyFile.readAll(environment.path(path)) }
        candidates += explicit.filter { openedLine($0, header) != nil }

        var ring = [newKey]
        for var key in candidates where !ring.contains(where: { $0.sameMaterial(as: key) }) {
            if let id = openedLine(key, header) { key.keyID = id }
            if key.keyID == nil || ring.contains(where: { $0.keyID == key.keyID }) { key.keyID = try newKeyID() }
            ring.append(key)
        }
        return ring
    }

    /// The key-id of the `key` line of `header` that `key` opens, if any.
    package static func openedLine(_ key: KeyFile.Key, _ header: VaultHeader) -> String? {
        for case let .key(keyID, _, _) in header.unlockers {
            let single = VaultHeader(vaultID: header.vaultID, unlockers: header.unlockers.filter {
                if case let .key(other, _, _) = $0 { other == keyID } else { false }
            })
            if (try? VaultCrypto.unwrap(single, with: .key(key.material))) != nil { return keyID }
        }
        return nil
    }

    /// Replaces the key file at `path` with `keys` atomically (temp file in the same folder,
    /// mode 0600, fsync, rename, fsync of the folder), so a crash leaves the old file or the new.
    package static func write(_ keys: [KeyFile.Key], to path: String, vaultID: String) throws(SecretctlError) {
        try FileSystem.makeDirectories(Path.parent(path), mode: 0o700)
        AtomicFile.removeStale(for: path)
        let text = KeyFile.encodeRing(keys, vaultID: vaultID)
        // A failure says "the vault was not changed", which holds: the vault is saved only after this.
        try AtomicFile.write(to: path, mode: 0o600) { write in text.withUnsafeBytes { write($0) } }
    }

    /// What `forget-retired-keys` does to the default key file: keeps the keys that open a
    /// `key` line of `header` (the vault on disk) and drops the rest. Returns the dropped
    /// ones. Refuses when no key of the file opens the vault, as that file would then hold
    /// nothing this vault needs and everything an older copy does.
    package static func forgetRetired(header: VaultHeader, environment: ProcessEnvironment) throws(SecretctlError) -> [KeyFile.Key] {
        let path = KeyFile.defaultPath(vaultID: header.vaultID, environment: environment)
        guard FileSystem.exists(path) else {
            throw SecretctlError(.noInput, "there is no key file at \(path), so there are no retired keys to forget")
        }
        // An interrupted rekey of an earlier secretctl may have left the current key in `.new`.
        var keys = try KeyFile.readAll(path)
        if FileSystem.exists(path + ".new") { keys += try KeyFile.readAll(path + ".new") }
        var current: [KeyFile.Key] = []
        for key in keys where openedLine(key, header) != nil && !current.contains(where: { $0.sameMaterial(as: key) }) {
            current.append(key)
        }
        guard !current.isEmpty else {
            throw SecretctlError(.noKey, "no key in \(path) opens the vault as it is now; nothing was forgotten",
                hint: "the key file may belong to another copy of the vault; keep it until the vault opens with it")
        }
        let retired = keys.filter { openedLine($0, header) == nil }
        guard !retired.isEmpty || FileSystem.exists(path + ".new") else { return [] }
        var kept = current
        for index in kept.indices where kept[index].keyID == nil { kept[index].keyID = openedLine(kept[index], header) }
        if kept.count == 1 {
            // One key left: the single-key form every secretctl reads, as `init` writes it.
            try FileSystem.makeDirectories(Path.parent(path), mode: 0o700)
            AtomicFile.removeStale(for: path)
            let text = KeyFile.encode(kept[0].material)
            try AtomicFile.write(to: path, mode: 0o600) { write in text.withUnsafeBytes { write($0) } }
        } else {
            try write(kept, to: path, vaultID: header.vaultID)
        }
        FileSystem.remove(path + ".new")
        return retired
    }

    private static func newKeyID() throws(SecretctlError) -> String {
        do {
            return try VaultCrypto.newKeyID()
        } catch {
            throw SecretctlError(.failure, "cannot draw a key id: \(error)")
        }
    }
}
