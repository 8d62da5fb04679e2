package import SecretctlCrypto

/// Replaces a vault's data key and wraps the new one for every unlocker that should
/// keep access: what `recipients rm` does, so the removed person's copy of the old
/// data key opens no vault saved from now on.
///
/// Recipient lines are re-wrapped from their public keys alone. A `key` line needs
/// its key file's key and a `passphrase` line its passphrase, so the caller passes
/// the ones in hand; lines without one are either refused or, with
/// `dropUnavailable`, removed.
package struct DataKeyRotation {
    /// Key-file keys in hand (`SECRETCTL_KEY`, `SECRETCTL_KEY_FILE`, the default key file).
    package var keys: [SecureBytes]
    /// The passphrase, when the vault has a passphrase line and it was given.
    package var passphrase: SecureBytes?
    package var dropUnavailable: Bool

    package init(keys: [SecureBytes], passphrase: SecureBytes?, dropUnavailable: Bool) {
        self.keys = keys
        self.passphrase = passphrase
        self.dropUnavailable = dropUnavailable
    }

    /// The key-file keys this environment holds for `vaultID`, in `KeyResolver`'s order.
    package static func keysInHand(vaultID: String, environment: ProcessEnvironment) throws(SecretctlError) -> [SecureBytes] {
        var keys: [SecureBytes] = []
        if let text = environment["SECRETCTL_KEY"] {
            keys += try KeyFile.decodeAll(SecureBytes(copying: Array(text.utf8)), source: "SECRETCTL_KEY").map(\.material)
        }
        if let path = environment["SECRETCTL_KEY_FILE"] { keys += try KeyFile.readAll(environment.path(path)).map(\.material) }
        let defaultPath = KeyFile.defaultPath(vaultID: vaultID, environment: environment)
        for path in [defaultPath, defaultPath + ".new"] where FileSystem.exists(path) {
            keys += try KeyFile.readAll(path).map(\.material)
        }
        return keys
    }

    /// Gives `vault` a new data key wrapped for its unlockers; returns the labels of the lines dropped.
    package func rotate(_ vault: inout OpenedVault) throws(SecretctlError) -> [String] {
        let vaultID = vault.vaultID
        let newDataKey = try Self.crypto { () throws(CryptoError) in try SecureRandom.secureBytes(AESGCM.keySize) }
        var unlockers: [Unlocker] = []
        var unavailable: [String] = []
        for unlocker in vault.header.unlockers {
            let single = VaultHeader(vaultID: vaultID, unlockers: [unlocker])
            switch unlocker {
            case let .recipient(name, recipientKey, _, _, _):
                let recipient = try Recipient(publicKey: recipientKey)
                unlockers.append(try Self.crypto { () throws(CryptoError) in
                    try VaultCrypto.recipientUnlocker(dataKey: newDataKey, recipient: recipient, name: name, vaultID: vaultID)
                })
            case let .key(keyID, _, _):
                guard let key = keys.first(where: { (try? VaultCrypto.unwrap(single, with: .key($0))) != nil }) else {
                    unavailable.append(unlocker.label)
                    continue
                }
                unlockers.append(try Self.crypto { () throws(CryptoError) in
                    try VaultCrypto.keyUnlocker(dataKey: newDataKey, key: key, keyID: keyID, vaultID: vaultID)
                })
            case let .passphrase(parameters, _, _, _):
                guard let passphrase else {
                    unavailable.append(unlocker.label)
                    continue
                }
                let opens: Bool
                do {
                    opens = try VaultCrypto.unwrap(single, with: .passphrase(passphrase)) != nil
                } catch {
                    throw SecretctlError(.damaged, "the passphrase line cannot be used: \(error)")
                }
                guard opens else {
                    throw SecretctlError(.noKey, "that passphrase does not open the vault's passphrase line; nothing was changed")
                }
                unlockers.append(try Self.crypto { () throws(CryptoError) in
                    try VaultCrypto.passphraseUnlocker(dataKey: newDataKey, passphrase: passphrase, parameters: parameters, vaultID: vaultID)
                })
            }
        }
        if !unavailable.isEmpty, !dropUnavailable {
            throw SecretctlError(
                .noKey, "cannot re-wrap the new data key for \(unavailable.joined(separator: ", ")): its key is not in hand; nothing was changed",
                hint: "set SECRETCTL_KEY_FILE / SECRETCTL_PASSPHRASE for it, or pass --drop-unavailable to remove those unlockers")
        }
        guard !unlockers.isEmpty else {
            throw SecretctlError(.failure, "no unlocker would remain; nothing was changed", hint: "add another recipient or a passphrase first")
        }
        vault.header.unlockers = unlockers
        vault.dataKey = newDataKey
        return unavailable
    }

    private static func crypto<R>(_ body: () throws(CryptoError) -> R) throws(SecretctlError) -> R {
        do {
            return try body()
        } catch {
            throw SecretctlError(.failure, "cryptographic operation failed: \(error)")
        }
    }
}
