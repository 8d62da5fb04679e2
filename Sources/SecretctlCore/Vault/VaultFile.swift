/// A parsed vault file: header, payload nonce and sealed payload, all still encrypted.
package struct VaultFile: Equatable, Sendable {
    package var header: VaultHeader
    package var payloadNonce: [UInt8]
    /// `ciphertext || tag` of the payload.
    package var sealedPayload: [UInt8]

    package init(header: VaultHeader, payloadNonce: [UInt8], sealedPayload: [UInt8]) {
        self.header = header
        self.payloadNonce = payloadNonce
        self.sealedPayload = sealedPayload
    }

    package var bytes: [UInt8] {
        header.bytes + Array("--- \(Base64.encode(payloadNonce))\n\(Base64.encode(sealedPayload))\n".utf8)
    }

    // MARK: - Parsing

    /// Parses `bytes` strictly, as `docs/vault-format.md` requires.
    package static func parse(_ bytes: [UInt8]) throws(VaultFormatError) -> VaultFile {
        let versionPrefix = Array("secretctl-vault/".utf8)
        guard let firstBreak = bytes.firstIndex(of: 0x0A) else {
            if bytes.starts(with: versionPrefix) { throw .damaged("the file ends inside its first line") }
            throw .unsupportedVersion("not a secretctl vault")
        }
        let firstLine = Array(bytes[..<firstBreak])
        if firstLine == Array(VaultHeader.versionLine.utf8) + [0x0D] {
            // Not another version: a v1 vault whose line ends were converted to CR LF.
            throw .damaged("the file has CR LF line ends (converted by a checkout? mark *.vault -text in .gitattributes)")
        }
        guard firstLine == Array(VaultHeader.versionLine.utf8) else {
            if firstLine.starts(with: versionPrefix) {
                let shown = String(decoding: firstLine.prefix(40), as: UTF8.self)
                throw .unsupportedVersion("unsupported vault version '\(shown)'; this secretctl reads secretctl-vault/v1")
            }
            throw .unsupportedVersion("not a secretctl vault (the first line is not secretctl-vault/v1)")
        }
        guard bytes.last == 0x0A else { throw .damaged("the file does not end with a line break (truncated?)") }
        guard !bytes.contains(0x0D) else { throw .damaged("the file contains a carriage return") }
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        // lines[0] is the version line; the last two are "--- nonce" and the payload.
        guard lines.count >= 5 else { throw .damaged("the file is too short (truncated?)") }
        guard lines.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }) else {
            throw .damaged("the file contains non-ASCII or control characters")
        }

        let idFields = try fields(lines[1])
        guard idFields.count == 2, idFields[0] == "id" else { throw .damaged("line 2 must be 'id <vault-id>'") }
        let vaultID = idFields[1]
        guard vaultID.utf8.count == 32, Hex.decode(vaultID) != nil else { throw .damaged("the vault id must be 32 lowercase hex digits") }

        let separatorIndex = lines.count - 2
        var unlockers: [Unlocker] = []
        for index in 2..<separatorIndex {
            unlockers.append(try parseUnlocker(lines[index], lineNumber: index + 1, existing: unlockers))
        }
        guard !unlockers.isEmpty else { throw .damaged("the vault has no unlocker") }
        guard unlockers.count <= VaultHeader.maximumUnlockers else { throw .damaged("the vault has more than \(VaultHeader.maximumUnlockers) unlockers") }

        let separator = try fields(lines[separatorIndex])
        guard separator.count == 2, separator[0] == "---" else { throw .damaged("expected '--- <nonce>' on line \(separatorIndex + 1)") }
        let nonce = try base64(separator[1], bytes: 12, field: "payload nonce")
        guard let sealed = Base64.decode(lines[separatorIndex + 1]) else { throw .damaged("the payload is not canonical base64") }
        guard sealed.count >= 16 else { throw .damaged("the payload is shorter than its tag") }

        let file = VaultFile(header: VaultHeader(vaultID: vaultID, unlockers: unlockers), payloadNonce: nonce, sealedPayload: sealed)
        // The writer's own output must round-trip byte for byte; anything else is not canonical.
        guard file.bytes == bytes else { throw .damaged("the file is not in canonical form") }
        return file
    }

    private static func fields(_ line: String) throws(VaultFormatError) -> [String] {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else { throw .damaged("empty field or extra space in '\(line.prefix(20))...'") }
        return parts
    }

    private static func base64(_ text: String, bytes count: Int, field: String) throws(VaultFormatError) -> [UInt8] {
        guard let decoded = Base64.decode(text) else { throw .damaged("\(field) is not canonical base64") }
        guard decoded.count == count else { throw .damaged("\(field) must be \(count) bytes, got \(decoded.count)") }
        return decoded
    }

    private static func decimal(_ text: String, field: String) throws(VaultFormatError) -> Int {
        guard !text.isEmpty, text.count <= 6, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            text == "0" || !text.hasPrefix("0"), let value = Int(text)
        else { throw .damaged("\(field) must be a decimal number without leading zeros") }
        return value
    }

    private static func parseUnlocker(_ line: String, lineNumber: Int, existing: [Unlocker]) throws(VaultFormatError) -> Unlocker {
        let parts = try fields(line)
        switch parts[0] {
        case "key":
            guard parts.count == 4 else { throw .damaged("line \(lineNumber): 'key' takes 3 fields") }
            let keyID = parts[1]
            guard keyID.utf8.count == 16, Hex.decode(keyID) != nil else { throw .damaged("line \(lineNumber): key id must be 16 lowercase hex digits") }
            for case let .key(otherID, _, _) in existing where otherID == keyID {
                throw .damaged("line \(lineNumber): duplicate key id \(keyID)")
            }
            return .key(
                keyID: keyID,
                nonce: try base64(parts[2], bytes: 12, field: "line \(lineNumber): wrap nonce"),
                wrapped: try base64(parts[3], bytes: 48, field: "line \(lineNumber): wrapped key"))
        case "passphrase":
            guard parts.count == 7 else { throw .damaged("line \(lineNumber): 'passphrase' takes 6 fields") }
            guard !existing.contains(where: \.isPassphrase) else { throw .damaged("line \(lineNumber): a second passphrase unlocker") }
            let parameters = ScryptParameters(
                log2N: try decimal(parts[1], field: "scrypt log2 N"),
                r: try decimal(parts[2], field: "scrypt r"),
                p: try decimal(parts[3], field: "scrypt p"))
            if let problem = parameters.problem { throw .damaged("line \(lineNumber): \(problem)") }
            return .passphrase(
                parameters,
                salt: try base64(parts[4], bytes: 16, field: "line \(lineNumber): salt"),
                nonce: try base64(parts[5], bytes: 12, field: "line \(lineNumber): wrap nonce"),
                wrapped: try base64(parts[6], bytes: 48, field: "line \(lineNumber): wrapped key"))
        case "recipient":
            // docs/vault-format.md, "Recipients".
            guard parts.count == 6 else { throw .damaged("line \(lineNumber): 'recipient' takes 5 fields") }
            guard RecipientName.isValid(parts[1]) else { throw .damaged("line \(lineNumber): invalid recipient name") }
            let recipientKey = try base64(parts[2], bytes: 32, field: "line \(lineNumber): recipient key")
            for case let .recipient(otherName, otherKey, _, _, _) in existing {
                if otherName == parts[1] { throw .damaged("line \(lineNumber): duplicate recipient name \(otherName)") }
                if otherKey == recipientKey { throw .damaged("line \(lineNumber): recipient \(parts[1]) has the same key as \(otherName)") }
            }
            return .recipient(
                name: parts[1],
                recipientKey: recipientKey,
                ephemeralKey: try base64(parts[3], bytes: 32, field: "line \(lineNumber): ephemeral key"),
                nonce: try base64(parts[4], bytes: 12, field: "line \(lineNumber): wrap nonce"),
                wrapped: try base64(parts[5], bytes: 48, field: "line \(lineNumber): wrapped key"))
        case "id":
            throw .damaged("line \(lineNumber): duplicate 'id' line")
        default:
            throw .damaged("line \(lineNumber): unknown unlocker type '\(parts[0].prefix(20))'")
        }
    }
}
