package import SecretctlCrypto

/// A person's (or a CI job's) X25519 key pair: the private half unlocks every vault
/// that lists the public half as a recipient.
///
/// Written as Bech32 with the prefix `SECRETCTL-SECRET-KEY-`, uppercase, in an
/// identity file (`$XDG_CONFIG_HOME/secretctl/identity`, mode 0600) or in
/// `SECRETCTL_IDENTITY`. The text may hold `#` comment lines and blank lines
/// around exactly one key line.
package struct Identity: Sendable {
    package static let humanReadablePart = "secretctl-secret-key-"
    package static let fileSizeLimit = 4096

    package let privateKey: SecureBytes
    package let recipient: Recipient

    package init(privateKey: SecureBytes) throws(SecretctlError) {
        let publicKey: [UInt8]
        do {
            publicKey = try X25519.publicKey(privateKey: privateKey)
        } catch {
            throw SecretctlError(.noKey, "the identity is not a usable X25519 key: \(error)")
        }
        self.privateKey = privateKey
        self.recipient = try Recipient(publicKey: publicKey)
    }

    /// A new key pair made by OpenSSL.
    package static func generate() throws(SecretctlError) -> Identity {
        let key: SecureBytes
        do {
            key = try X25519.generatePrivateKey()
        } catch {
            throw SecretctlError(.failure, "cannot generate an X25519 key pair: \(error)")
        }
        return try Identity(privateKey: key)
    }

    /// `SECRETCTL-SECRET-KEY-1...` (the secret itself).
    package var secretString: SecureBytes { Bech32.encode(hrp: Self.humanReadablePart, data: privateKey, uppercase: true) }

    /// The identity file: comment lines naming the recipient, then the key line.
    package func fileText(comments: [String]) -> SecureBytes {
        let header = comments.map { "# \($0)\n" }.joined() + "# recipient: \(recipient.string)\n"
        return SecureBytes.joined([SecureBytes(copying: Array(header.utf8)), secretString, SecureBytes(copying: [0x0A])])
    }

    // MARK: - Parsing

    /// Parses identity text; `source` names it in errors (never the text itself).
    package init(parsing text: SecureBytes, source: String) throws(SecretctlError) {
        var keyLines: [Range<Int>] = []
        text.withUnsafeBytes { raw in
            var start = 0
            while start <= raw.count {
                var end = start
                while end < raw.count, raw[end] != 0x0A { end += 1 }
                var low = start
                var high = end
                while low < high, raw[low] == 0x20 || raw[low] == 0x09 { low += 1 }
                while high > low, raw[high - 1] == 0x20 || raw[high - 1] == 0x09 || raw[high - 1] == 0x0D { high -= 1 }
                if low < high, raw[low] != UInt8(ascii: "#") { keyLines.append(low..<high) }
                start = end + 1
            }
        }
        guard keyLines.count == 1, let line = keyLines.first else {
            throw SecretctlError(
                .noKey, keyLines.isEmpty ? "\(source) holds no identity" : "\(source) holds \(keyLines.count) key lines; an identity file holds one",
                hint: "an identity is the SECRETCTL-SECRET-KEY-1... line that 'secretctl keygen' wrote")
        }
        guard let key = Bech32.decode(hrp: Self.humanReadablePart, text: text.slice(line)), key.count == X25519.keySize else {
            throw SecretctlError(.noKey, "\(source) does not hold a valid secretctl identity (SECRETCTL-SECRET-KEY-1..., checksum included)")
        }
        try self.init(privateKey: key)
    }

    // MARK: - Files

    /// `<config>/identity`.
    package static func defaultPath(environment: ProcessEnvironment) -> String {
        Path.join(environment.configDirectory, "identity")
    }

    /// Reads an identity file, refusing anything but a regular file that only its owner can read.
    package static func read(_ path: String) throws(SecretctlError) -> Identity {
        let text = try FileSystem.readKeyMaterial(path, limit: fileSizeLimit, what: "identity file")
        return try Identity(parsing: text, source: "identity file \(path)")
    }

    /// Writes a new identity file (`O_EXCL`, 0600, folder 0700). Never overwrites one.
    package func create(at path: String, comments: [String]) throws(SecretctlError) {
        try FileSystem.makeDirectories(Path.parent(path), mode: 0o700)
        if FileSystem.exists(path) {
            throw SecretctlError(.failure, "\(path) already exists; secretctl never overwrites an identity",
                hint: "print its recipient with 'secretctl keygen --show', or write a new one elsewhere with --output")
        }
        try FileSystem.createExclusive(path, mode: 0o600, contents: fileText(comments: comments))
    }
}
