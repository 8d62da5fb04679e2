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

    /// The file's exact bytes: header, separator line and payload line.
    package var bytes: [UInt8] {
        let head = header.bytes
        let separator: [UInt8] = Array("--- ".utf8)
        let nonceCount = Base64.encodedCount(payloadNonce.count)
        let payloadCount = Base64.encodedCount(sealedPayload.count)
        let total = head.count + separator.count + nonceCount + 1 + payloadCount + 1
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            let output = UnsafeMutableRawBufferPointer(buffer)
            var offset = 0
            func append(_ bytes: UnsafeRawBufferPointer) {
                UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + bytes.count]).copyMemory(from: bytes)
                offset += bytes.count
            }
            func appendBase64(_ bytes: [UInt8], count: Int) {
                bytes.withUnsafeBytes { Base64.encode($0, into: UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + count])) }
                offset += count
            }
            head.withUnsafeBytes { append($0) }
            separator.withUnsafeBytes { append($0) }
            appendBase64(payloadNonce, count: nonceCount)
            output[offset] = 0x0A
            offset += 1
            appendBase64(sealedPayload, count: payloadCount)
            output[offset] = 0x0A
            offset += 1
            precondition(offset == total, "vault file size mismatch")
            initialized = total
        }
    }

    /// Hands the file's bytes to `sink` in pieces of at most 64 KiB, encoding the payload as it
    /// goes instead of building the whole file in memory. Stops and returns false as soon as
    /// `sink` does.
    package func write(to sink: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        let chunk = 1 << 16
        // Whole base64 quanta: 3 payload bytes become 4 characters.
        let payloadPerChunk = chunk / 4 * 3
        var prefix = header.bytes
        prefix += Array("--- ".utf8)
        prefix += payloadNonce.withUnsafeBytes { Base64.encodedBytes($0) }
        prefix.append(0x0A)
        guard prefix.withUnsafeBytes(sink) else { return false }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk + 1, alignment: 16)
        defer { buffer.deallocate() }
        return sealedPayload.withUnsafeBytes { payload in
            var offset = 0
            while offset < payload.count {
                let take = min(payloadPerChunk, payload.count - offset)
                let count = Base64.encodedCount(take)
                Base64.encode(UnsafeRawBufferPointer(rebasing: payload[offset..<offset + take]), into: buffer)
                offset += take
                // The final LF rides with the last piece.
                var total = count
                if offset == payload.count {
                    buffer[count] = 0x0A
                    total += 1
                }
                guard sink(UnsafeRawBufferPointer(rebasing: buffer[0..<total])) else { return false }
            }
            if payload.isEmpty { return withUnsafeBytes(of: UInt8(0x0A)) { sink($0) } }
            return true
        }
    }

    // MARK: - Parsing

    /// Parses `bytes` strictly, as `docs/vault-format.md` requires.
    ///
    /// One pass over the bytes: the header lines are short and checked one by one; the payload
    /// line, which is nearly all of the file, is only run through the strict base64 decoder,
    /// which refuses every byte outside the alphabet (CR, LF, space, non-ASCII included), so
    /// it is never split, copied or re-encoded, and it is decoded in place. Only the header is
    /// re-encoded for the canonical-form check: the separator and payload lines are canonical
    /// by construction once their fields and base64 have passed.
    package static func parse(_ bytes: consuming [UInt8]) throws(VaultFormatError) -> VaultFile {
        let firstBreak = try checkFirstLine(bytes)
        guard bytes.last == 0x0A else { throw .damaged("the file does not end with a line break (truncated?)") }
        let (header, nonce, payloadStart) = try parseHeader(bytes, firstBreak: firstBreak)

        // The payload line runs from after the separator line to the final LF. It is decoded
        // in place, into the start of the same buffer (the decoder's output never overtakes its
        // input), so a large vault is not held twice; the header is not needed after this.
        guard payloadStart < bytes.count - 1 else { throw .damaged("the payload line is missing or empty (truncated?)") }
        let payloadLine = payloadStart..<bytes.count - 1
        var sealedCount: Int?
        bytes.withUnsafeMutableBytes { raw in
            let text = UnsafeRawBufferPointer(rebasing: raw[payloadLine])
            guard let count = Base64.decodedCount(text), Base64.decode(text, into: raw.baseAddress) else { return }
            sealedCount = count
        }
        guard let sealedCount else {
            // The decoder refuses every byte outside the alphabet: CR, LF (a line after the
            // payload), spaces, non-ASCII. It has overwritten the start of the line by now.
            throw .damaged("the payload line is not canonical base64 (a changed byte, or bytes after it)")
        }
        guard sealedCount >= 16 else { throw .damaged("the payload is shorter than its tag") }
        bytes.removeLast(bytes.count - sealedCount)
        return VaultFile(header: header, payloadNonce: nonce, sealedPayload: bytes)
    }

    /// Parses a vault file as `parse(_:)` does (same checks, same outcomes) while reading it
    /// in pieces, so a large vault is never held whole: the header comes from the first piece
    /// and the payload line is decoded piece by piece into the sealed payload. `read` fills the
    /// buffer it is given as far as it can and returns the count, 0 at the end of the file,
    /// nil on a read error (which then surfaces as a `.damaged` error the caller replaces).
    /// `sizeHint` (fstat) only sizes the output. A file that is small, or whose header does not
    /// fit in the first piece, is read whole and handed to `parse(_:)`.
    /// `pieceSize` (at least 8) is for tests, which make it small to reach every branch with short files.
    package static func parse(
        sizeHint: Int, pieceSize: Int = 1 << 16, reading read: (UnsafeMutableRawBufferPointer) -> Int?
    ) throws(VaultFormatError) -> VaultFile {
        precondition(pieceSize >= 8, "pieces of at least 8 bytes")
        let piece = pieceSize
        let work = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * piece, alignment: 16)
        defer { work.deallocate() }
        var ended = false
        /// Appends to `work[count...]` until it holds `limit` bytes or the file ends.
        func fill(_ count: inout Int, to limit: Int) throws(VaultFormatError) {
            while count < limit, !ended {
                guard let got = read(UnsafeMutableRawBufferPointer(rebasing: work[count..<limit])) else {
                    throw .damaged("the file could not be read")
                }
                if got == 0 { ended = true }
                count += got
            }
        }
        var count = 0
        try fill(&count, to: piece)
        let head = Array(UnsafeRawBufferPointer(rebasing: work[0..<count]))
        guard !ended, let payloadStart = separatorEnd(head) else {
            var whole = head
            while !ended {
                try fill(&count, to: 2 * piece)
                whole += UnsafeRawBufferPointer(rebasing: work[piece..<count])
                count = piece
            }
            return try parse(whole)
        }
        let firstBreak = try checkFirstLine(head)
        let (header, nonce, headerPayloadStart) = try parseHeader(head, firstBreak: firstBreak)
        precondition(headerPayloadStart == payloadStart, "the header ends at the separator line")

        // The payload line: whole quanta are decoded as they arrive, always keeping at least 8
        // bytes back, so what is left at the end holds the last quantum (with its padding
        // rules) and the final LF.
        var sealed: [UInt8] = []
        sealed.reserveCapacity(max(0, sizeHint - payloadStart) / 4 * 3 + 3)
        let decoded = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * piece / 4 * 3 + 8, alignment: 16)
        defer { decoded.deallocate() }
        var pending = count - payloadStart
        UnsafeMutableRawBufferPointer(rebasing: work[0..<pending]).copyMemory(from: UnsafeRawBufferPointer(rebasing: work[payloadStart..<count]))
        var lineLength = 0
        while true {
            try fill(&pending, to: 2 * piece)
            if ended { break }
            let take = (pending - 8) / 4 * 4
            guard Base64.decodeQuanta(UnsafeRawBufferPointer(rebasing: work[0..<take]), into: decoded.baseAddress!) else {
                throw .damaged("the payload line is not canonical base64 (a changed byte, or bytes after it)")
            }
            sealed += UnsafeRawBufferPointer(rebasing: decoded[0..<take / 4 * 3])
            lineLength += take
            work.baseAddress!.copyMemory(from: work.baseAddress! + take, byteCount: pending - take)
            pending -= take
        }
        guard pending > 0, work[pending - 1] == 0x0A else { throw .damaged("the file does not end with a line break (truncated?)") }
        let rest = UnsafeRawBufferPointer(rebasing: work[0..<pending - 1])
        guard lineLength + rest.count > 0 else { throw .damaged("the payload line is missing or empty (truncated?)") }
        guard let restCount = Base64.decodedCount(rest), Base64.decode(rest, into: decoded.baseAddress) else {
            throw .damaged("the payload line is not canonical base64 (a changed byte, or bytes after it)")
        }
        sealed += UnsafeRawBufferPointer(rebasing: decoded[0..<restCount])
        guard sealed.count >= 16 else { throw .damaged("the payload is shorter than its tag") }
        return VaultFile(header: header, payloadNonce: nonce, sealedPayload: sealed)
    }

    /// Where the payload line starts: just after the first line (past the version line) that
    /// starts with "--- " or is "---", the line `parseHeader` takes for the separator. Nil when
    /// there is no such line with its LF in `bytes`.
    private static func separatorEnd(_ bytes: [UInt8]) -> Int? {
        guard var start = bytes.firstIndex(of: 0x0A).map({ $0 + 1 }) else { return nil }
        while let end = bytes[start...].firstIndex(of: 0x0A) {
            let line = bytes[start..<end]
            if line.starts(with: separatorPrefix) || line.elementsEqual(separatorPrefix.dropLast()) { return end + 1 }
            start = end + 1
        }
        return nil
    }

    /// The version line's checks; returns the index of its LF.
    private static func checkFirstLine(_ bytes: [UInt8]) throws(VaultFormatError) -> Int {
        let versionPrefix = Array("secretctl-vault/".utf8)
        guard let firstBreak = bytes.firstIndex(of: 0x0A) else {
            if bytes.starts(with: versionPrefix) { throw .damaged("the file ends inside its first line") }
            throw .unsupportedVersion("not a secretctl vault")
        }
        let firstLine = bytes[..<firstBreak]
        if firstLine.elementsEqual(Array(VaultHeader.versionLine.utf8) + [0x0D]) {
            // Not another version: a v1 vault whose line ends were converted to CR LF.
            throw .damaged("the file has CR LF line ends (converted by a checkout? mark *.vault -text in .gitattributes)")
        }
        guard firstLine.elementsEqual(VaultHeader.versionLine.utf8) else {
            if firstLine.starts(with: versionPrefix) {
                let shown = String(decoding: firstLine.prefix(40), as: UTF8.self)
                throw .unsupportedVersion("unsupported vault version '\(shown)'; this secretctl reads secretctl-vault/v1")
            }
            throw .unsupportedVersion("not a secretctl vault (the first line is not secretctl-vault/v1)")
        }
        return firstBreak
    }

    /// The header, the payload nonce and where the payload line starts. The lines after the
    /// version line are parsed here: the id, the unlockers, the separator.
    private static func parseHeader(_ bytes: [UInt8], firstBreak: Int) throws(VaultFormatError) -> (VaultHeader, [UInt8], Int) {
        // Header lines after the version: the id, then unlockers up to the "---" line.
        var lineStart = firstBreak + 1
        var lineNumber = 2
        func nextLine() throws(VaultFormatError) -> Range<Int>? {
            guard lineStart < bytes.count else { return nil }
            // The file ends with LF, so every line has one.
            var end = lineStart
            while bytes[end] != 0x0A { end += 1 }
            let range = lineStart..<end
            try checkPrintable(bytes[range])
            lineStart = end + 1
            return range
        }
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        guard let idLine = try nextLine() else { throw .damaged("the file is too short (truncated?)") }
        let idFields = try fields(text(idLine))
        guard idFields.count == 2, idFields[0] == "id" else { throw .damaged("line 2 must be 'id <vault-id>'") }
        let vaultID = idFields[1]
        guard vaultID.utf8.count == 32, Hex.decode(vaultID) != nil else { throw .damaged("the vault id must be 32 lowercase hex digits") }

        var unlockers: [Unlocker] = []
        var environment: String?
        var keyChange: [UInt8]?
        var separatorLine: Range<Int>?
        while separatorLine == nil {
            lineNumber += 1
            guard let line = try nextLine() else { throw .damaged("the file is too short (truncated?)") }
            if bytes[line].starts(with: Self.separatorPrefix) || bytes[line].elementsEqual(Self.separatorPrefix.dropLast()) {
                separatorLine = line
            } else if bytes[line].starts(with: Array("env ".utf8)) {
                // Order (env, then key-change, then unlockers) is left to the canonical-form check.
                guard environment == nil else { throw .damaged("line \(lineNumber): a second 'env' line") }
                let parts = try fields(text(line))
                guard parts.count == 2, ProjectLocator.environmentNameRule(parts[1]) == nil else {
                    throw .damaged("line \(lineNumber): 'env' takes one environment name (lowercase letters, digits, '-', '_')")
                }
                environment = parts[1]
            } else if bytes[line].starts(with: Array("key-change ".utf8)) {
                guard keyChange == nil else { throw .damaged("line \(lineNumber): a second 'key-change' line") }
                let parts = try fields(text(line))
                guard parts.count == 2 else { throw .damaged("line \(lineNumber): 'key-change' takes 1 field") }
                keyChange = try base64(parts[1], bytes: 32, field: "line \(lineNumber): key-change proof")
            } else {
                unlockers.append(try parseUnlocker(text(line), lineNumber: lineNumber, existing: unlockers))
            }
        }
        guard let separatorLine else { throw .damaged("the file is too short (truncated?)") }
        guard !unlockers.isEmpty else { throw .damaged("the vault has no unlocker") }
        guard unlockers.count <= VaultHeader.maximumUnlockers else { throw .damaged("the vault has more than \(VaultHeader.maximumUnlockers) unlockers") }

        let separator = try fields(text(separatorLine))
        guard separator.count == 2, separator[0] == "---" else { throw .damaged("expected '--- <nonce>' on line \(lineNumber)") }
        let nonce = try base64(separator[1], bytes: 12, field: "payload nonce")

        let header = VaultHeader(vaultID: vaultID, environment: environment, keyChange: keyChange, unlockers: unlockers)
        // The writer's own header must round-trip byte for byte; anything else is not canonical.
        guard bytes[..<separatorLine.lowerBound].elementsEqual(header.bytes) else { throw .damaged("the file is not in canonical form") }

        return (header, nonce, lineStart)
    }

    private static let separatorPrefix = Array("--- ".utf8)

    /// Refuses CR and any byte outside printable ASCII in one line.
    private static func checkPrintable(_ line: ArraySlice<UInt8>) throws(VaultFormatError) {
        for byte in line where byte < 0x20 || byte > 0x7E {
            if byte == 0x0D { throw .damaged("the file contains a carriage return") }
            throw .damaged("the file contains non-ASCII or control characters")
        }
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
