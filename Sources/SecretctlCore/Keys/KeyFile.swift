package import SecretctlCrypto

/// Key files: 44 characters of base64 and a line break, mode 0600.
package enum KeyFile {
    package static let keySize = 32

    /// `<config>/keys/<vault-id>.key`.
    package static func defaultPath(vaultID: String, environment: ProcessEnvironment) -> String {
        Path.join(Path.join(environment.configDirectory, "keys"), "\(vaultID).key")
    }

    /// The text of a key file for `key`.
    package static func encode(_ key: SecureBytes) -> SecureBytes {
        let text = Base64.encode(key)
        return SecureBytes.joined([text, SecureBytes(copying: [0x0A])])
    }

    /// Decodes key text (a key file's contents or `SECRETCTL_KEY`); `source` names it in errors.
    package static func decode(_ text: SecureBytes, source: String) throws(SecretctlError) -> SecureBytes {
        let trimmed = text.withUnsafeBytes { raw -> Int in
            var end = raw.count
            while end > 0, raw[end - 1] == 0x0A || raw[end - 1] == 0x0D || raw[end - 1] == 0x20 { end -= 1 }
            return end
        }
        let body = text.slice(0..<trimmed)
        let decoded = body.withUnsafeBytes { Base64.decode($0) }
        guard var bytes = decoded, bytes.count == keySize else {
            throw SecretctlError(.noKey, "\(source) does not hold a secretctl key (base64 of 32 bytes)")
        }
        defer { for index in bytes.indices { bytes[index] = 0 } }
        return SecureBytes(copying: bytes)
    }

    /// Reads a key file, refusing anything but a regular file that only its owner can read.
    package static func read(_ path: String) throws(SecretctlError) -> SecureBytes {
        let text = try FileSystem.readKeyMaterial(path, limit: 4096, what: "key file")
        return try decode(text, source: "key file \(path)")
    }
}
