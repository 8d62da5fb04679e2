/// scrypt work factor of a passphrase unlocker.
///
/// The parameters come from the file, and the file comes from anyone who can push a commit:
/// scrypt runs wherever a passphrase is in hand (CI with SECRETCTL_PASSPHRASE, the merge
/// driver, `git log -p`), so what a header may ask for is capped before deriving. The cap is
/// age's default work factor times four: N·r·p at most 2^23 (log2 N 20 with r 8, 4 times age's default and
/// at most 1 GiB of memory), log2 N at most 20.
package struct ScryptParameters: Equatable, Sendable {
    package static let `default` = ScryptParameters(log2N: 18, r: 8, p: 1)
    package static let log2NRange = 10...20
    package static let rRange = 1...32
    package static let pRange = 1...16
    /// The most N·r·p may be: the work scrypt does, and (p = 1) its 128·N·r bytes of memory / 128.
    package static let maximumCost: UInt64 = 1 << 23

    package var log2N: Int
    package var r: Int
    package var p: Int

    package init(log2N: Int, r: Int, p: Int) {
        self.log2N = log2N
        self.r = r
        self.p = p
    }

    /// Why the parameters are refused, or nil when they are in range.
    package var problem: String? {
        guard Self.log2NRange.contains(log2N) else { return "scrypt log2 N \(log2N) is outside \(Self.log2NRange)" }
        guard Self.rRange.contains(r) else { return "scrypt r \(r) is outside \(Self.rRange)" }
        guard Self.pRange.contains(p) else { return "scrypt p \(p) is outside \(Self.pRange)" }
        guard UInt64(r) * UInt64(p) << UInt64(log2N) <= Self.maximumCost else {
            return "scrypt parameters \(log2N) \(r) \(p) ask for more work than the limit (N·r·p at most 2^23, for example log2 N 20, r 8, p 1)"
        }
        return nil
    }
}

/// One way to recover the data key.
package enum Unlocker: Equatable, Sendable {
    /// Wrapped under the 32 bytes of a key file; `keyID` is 16 hex digits.
    case key(keyID: String, nonce: [UInt8], wrapped: [UInt8])
    /// Wrapped under scrypt of a passphrase.
    case passphrase(ScryptParameters, salt: [UInt8], nonce: [UInt8], wrapped: [UInt8])
    /// Wrapped to a teammate's X25519 public key (`recipientKey`) through an ephemeral key.
    case recipient(name: String, recipientKey: [UInt8], ephemeralKey: [UInt8], nonce: [UInt8], wrapped: [UInt8])

    package var isPassphrase: Bool {
        if case .passphrase = self { return true }
        return false
    }

    package var isRecipient: Bool {
        if case .recipient = self { return true }
        return false
    }

    package var label: String {
        switch self {
        case let .key(keyID, _, _): "key file \(keyID)"
        case let .passphrase(parameters, _, _, _): "passphrase (scrypt log2 N \(parameters.log2N))"
        case let .recipient(name, _, _, _, _): "recipient \(name)"
        }
    }
}

/// The clear-text part of a vault file: bound to the payload as associated data.
package struct VaultHeader: Equatable, Sendable {
    package static let versionLine = "secretctl-vault/v1"
    package static let maximumUnlockers = 16

    /// 32 lowercase hex digits.
    package var vaultID: String
    /// The environment the vault belongs to (`env` line), so a copy under another name is
    /// refused. Nil in vaults written before the line existed; the next save adds it.
    package var environment: String?
    /// The `key-change` line: proof, under the previous data key's check, that whoever made
    /// this data key held the one before (see `KeyMemory`). Nil until the first key change.
    package var keyChange: [UInt8]?
    package var unlockers: [Unlocker]

    package init(vaultID: String, environment: String? = nil, keyChange: [UInt8]? = nil, unlockers: [Unlocker]) {
        self.vaultID = vaultID
        self.environment = environment
        self.keyChange = keyChange
        self.unlockers = unlockers
    }

    /// The exact header bytes, which are also the payload's associated data.
    package var bytes: [UInt8] {
        var lines = [Self.versionLine, "id \(vaultID)"]
        if let environment { lines.append("env \(environment)") }
        if let keyChange { lines.append("key-change \(Base64.encode(keyChange))") }
        for unlocker in unlockers {
            switch unlocker {
            case let .key(keyID, nonce, wrapped):
                lines.append("key \(keyID) \(Base64.encode(nonce)) \(Base64.encode(wrapped))")
            case let .passphrase(parameters, salt, nonce, wrapped):
                lines.append("passphrase \(parameters.log2N) \(parameters.r) \(parameters.p) \(Base64.encode(salt)) \(Base64.encode(nonce)) \(Base64.encode(wrapped))")
            case let .recipient(name, recipientKey, ephemeralKey, nonce, wrapped):
                lines.append("recipient \(name) \(Base64.encode(recipientKey)) \(Base64.encode(ephemeralKey)) \(Base64.encode(nonce)) \(Base64.encode(wrapped))")
            }
        }
        return Array(lines.map { $0 + "\n" }.joined().utf8)
    }

    /// The associated data of a wrapped data key.
    package var wrapAssociatedData: [UInt8] { Array("secretctl-vault/v1 wrap \(vaultID)".utf8) }
}
