package import SecretctlCrypto

/// Key files, in one of two forms (docs/vault-format.md, "Key files"):
///
/// * a single key: 44 characters of base64 and a line break (what `init` writes);
/// * a key ring: `key <key-id> <base64>` lines, the current key first and the keys an
///   earlier `rekey` retired after it, so older copies of the vault (git history, other
///   branches, backups) still open on this machine.
///
/// Both are mode 0600. `SECRETCTL_KEY` holds either form.
package enum KeyFile {
    package static let keySize = 32
    /// Larger than any key ring secretctl writes (a ring line is 66 bytes).
    package static let readLimit = 64 << 10
    /// The most keys a ring holds; a longer one is refused rather than tried key by key.
    package static let maximumKeys = 256

    /// One key of a key file.
    package struct Key: Sendable {
        /// The `key-id` of the vault line this key was made for; nil in the single-key form.
        package var keyID: String?
        package var material: SecureBytes

        package init(keyID: String?, material: SecureBytes) {
            self.keyID = keyID
            self.material = material
        }

        package func sameMaterial(as other: Key) -> Bool {
            material.withUnsafeBytes { a in other.material.withUnsafeBytes { b in a.elementsEqual(b) } }
        }
    }

    /// `<config>/keys/<vault-id>.key`.
    package static func defaultPath(vaultID: String, environment: ProcessEnvironment) -> String {
        Path.join(Path.join(environment.configDirectory, "keys"), "\(vaultID).key")
    }

    // MARK: - Writing

    /// The text of a single-key file for `key`.
    package static func encode(_ key: SecureBytes) -> SecureBytes {
        let text = Base64.encode(key)
        return SecureBytes.joined([text, SecureBytes(copying: [0x0A])])
    }

    /// The text of a key ring: a comment saying what the lines are, then one `key` line per
    /// key, `keys[0]` (the one that opens the vault now) first. Every key needs a key-id.
    package static func encodeRing(_ keys: [Key], vaultID: String) -> SecureBytes {
        let comment = """
            # secretctl key ring for vault \(vaultID)
            # the first key opens the vault now; the others are retired keys that open older copies of it
            # (git history, other branches, backups). 'secretctl forget-retired-keys' removes them.

            """
        var parts = [SecureBytes(copying: Array(comment.utf8))]
        for key in keys {
            precondition(key.keyID != nil, "a key ring line needs a key-id")
            parts.append(SecureBytes(copying: Array("key \(key.keyID!) ".utf8)))
            parts.append(Base64.encode(key.material))
            parts.append(SecureBytes(copying: [0x0A]))
        }
        return SecureBytes.joined(parts)
    }

    // MARK: - Reading

    /// Decodes key text (a key file's contents or `SECRETCTL_KEY`) in either form; the
    /// current key comes first. `source` names the text in errors, which never quote it.
    package static func decodeAll(_ text: SecureBytes, source: String) throws(SecretctlError) -> [Key] {
        let notAKey = SecretctlError(.noKey, "\(source) does not hold a secretctl key (base64 of 32 bytes, or 'key <key-id> <base64>' lines)")
        // Lines, each without its LF and without trailing CR, space or tab.
        let lines: [Range<Int>] = text.withUnsafeBytes { raw in
            var lines: [Range<Int>] = []
            var start = 0
            for index in 0...raw.count where index == raw.count || raw[index] == 0x0A {
                var end = index
                while end > start, [0x0D, 0x20, 0x09].contains(raw[end - 1]) { end -= 1 }
                lines.append(start..<end)
                start = index + 1
            }
            return lines
        }
        let isRing = text.withUnsafeBytes { raw in
            lines.contains { $0.count >= 4 && raw[$0.lowerBound..<$0.lowerBound + 4].elementsEqual("key ".utf8) }
        }
        if !isRing {
            // The single-key form: one line of base64, then nothing but line ends and spaces.
            let content = lines.filter { !$0.isEmpty }
            guard content.count == 1, content[0].lowerBound == 0 else { throw notAKey }
            return [Key(keyID: nil, material: try material(text.slice(content[0]), notAKey))]
        }
        var keys: [Key] = []
        for line in lines where !line.isEmpty {
            let first = text.withUnsafeBytes { $0[line.lowerBound] }
            if first == UInt8(ascii: "#") { continue }
            // `key ` + 16 hex + ` ` + 44 base64.
            let idRange = (line.lowerBound + 4)..<(line.lowerBound + 20)
            guard line.count == 4 + 16 + 1 + 44 else { throw notAKey }
            let (prefixOK, id, separatorOK) = text.withUnsafeBytes { raw in
                (raw[line.lowerBound..<line.lowerBound + 4].elementsEqual("key ".utf8),
                 String(decoding: raw[idRange], as: UTF8.self),
                 raw[idRange.upperBound] == 0x20)
            }
            guard prefixOK, separatorOK, Hex.decode(id)?.count == 8 else { throw notAKey }
            guard !keys.contains(where: { $0.keyID == id }) else {
                throw SecretctlError(.noKey, "\(source) holds key id \(id) twice")
            }
            keys.append(Key(keyID: id, material: try material(text.slice((idRange.upperBound + 1)..<line.upperBound), notAKey)))
            guard keys.count <= maximumKeys else { throw SecretctlError(.noKey, "\(source) holds more than \(maximumKeys) keys") }
        }
        guard !keys.isEmpty else { throw notAKey }
        return keys
    }

    private static func material(_ base64: SecureBytes, _ error: SecretctlError) throws(SecretctlError) -> SecureBytes {
        let decoded = base64.withUnsafeBytes { Base64.decode($0) }
        guard var bytes = decoded, bytes.count == keySize else { throw error }
        defer { for index in bytes.indices { bytes[index] = 0 } }
        return SecureBytes(copying: bytes)
    }

    /// Reads every key of a key file, refusing anything but a regular file that only its owner
    /// can read (as ssh does).
    package static func readAll(_ path: String) throws(SecretctlError) -> [Key] {
        let text = try FileSystem.readKeyMaterial(path, limit: readLimit, what: "key file")
        return try decodeAll(text, source: "key file \(path)")
    }
}
