package import SecretctlCrypto

/// The binary payload of `docs/vault-format.md`, section "Payload plaintext".
package enum PayloadCodec {
    package static let version: UInt8 = 1

    // MARK: - Encoding

    package static func encode(_ contents: VaultContents) -> SecureBytes {
        let entries = contents.sortedEntries
        var size = 1 + 4
        for entry in entries {
            size += 2 + entry.name.utf8.count + 1 + (entry.recipe == nil ? 0 : 5) + 1 + 2
            for version in entry.versions { size += 4 + 8 + 4 + version.value.count }
        }
        return SecureBytes(count: size) { buffer in
            var writer = Writer(buffer: buffer)
            writer.u8(version)
            writer.u32(UInt32(entries.count))
            for entry in entries {
                var name = entry.name
                name.withUTF8 { name in
                    writer.u16(UInt16(name.count))
                    writer.bytes(UnsafeRawBufferPointer(name))
                }
                if let recipe = entry.recipe {
                    writer.u8(1)
                    writer.u32(UInt32(recipe.bytes))
                    writer.u8(recipe.encoding.rawValue)
                } else {
                    writer.u8(0)
                }
                writer.u8(UInt8(entry.historyLimit))
                writer.u16(UInt16(entry.versions.count))
                for version in entry.versions {
                    writer.u32(version.number)
                    writer.u64(UInt64(bitPattern: version.created))
                    writer.u32(UInt32(version.value.count))
                    version.value.withUnsafeBytes { writer.bytes($0) }
                }
            }
            precondition(writer.offset == size, "payload size mismatch")
        }
    }

    /// Big-endian stores into a buffer sized in advance (the size loop above is exact).
    private struct Writer {
        let buffer: UnsafeMutableRawBufferPointer
        var offset = 0

        private mutating func store<T: FixedWidthInteger>(_ value: T) {
            precondition(offset + MemoryLayout<T>.size <= buffer.count, "payload writer overflow")
            buffer.storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self)
            offset += MemoryLayout<T>.size
        }
        mutating func u8(_ value: UInt8) { store(value) }
        mutating func u16(_ value: UInt16) { store(value) }
        mutating func u32(_ value: UInt32) { store(value) }
        mutating func u64(_ value: UInt64) { store(value) }
        mutating func bytes(_ raw: UnsafeRawBufferPointer) {
            guard !raw.isEmpty else { return }
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<offset + raw.count]).copyMemory(from: raw)
            offset += raw.count
        }
    }

    // MARK: - Decoding

    /// Decodes a payload; values are ranges of `payload`, which they keep alive.
    package static func decode(_ payload: SecureBytes) throws(VaultFormatError) -> VaultContents {
        try payload.withUnsafeBytes { (raw) throws(VaultFormatError) -> VaultContents in
            var reader = Reader(buffer: raw)
            let payloadVersion = try reader.u8()
            guard payloadVersion == version else { throw .damaged("unknown payload version \(payloadVersion)") }
            let count = Int(try reader.u32())
            guard count <= VaultContents.maximumEntries else { throw .damaged("entry count \(count) out of range") }
            var entries: [Entry] = []
            entries.reserveCapacity(count)
            var previousName = UnsafeRawBufferPointer(start: nil, count: 0)
            for index in 0..<count {
                let nameLength = Int(try reader.u16())
                guard (1...EntryName.maximumLength).contains(nameLength) else { throw .damaged("entry name length out of range") }
                let nameBytes = UnsafeRawBufferPointer(rebasing: try reader.take(nameLength))
                guard EntryName.isValid(bytes: nameBytes) else { throw .damaged("invalid entry name in payload") }
                if index > 0, VaultContents.compare(previousName.assumingMemoryBound(to: UInt8.self), nameBytes.assumingMemoryBound(to: UInt8.self)) >= 0 {
                    throw .damaged("entry names are not sorted or not unique")
                }
                previousName = nameBytes
                let name = String(decoding: nameBytes, as: UTF8.self)

                let recipe: Recipe?
                switch try reader.u8() {
                case 0: recipe = nil
                case 1:
                    let bytes = Int(try reader.u32())
                    guard (1...Recipe.maximumBytes).contains(bytes) else { throw .damaged("recipe size out of range") }
                    guard let encoding = Recipe.Encoding(rawValue: try reader.u8()) else { throw .damaged("unknown recipe encoding") }
                    recipe = Recipe(bytes: bytes, encoding: encoding)
                case let kind: throw .damaged("unknown recipe kind \(kind)")
                }
                let historyLimit = Int(try reader.u8())
                guard historyLimit <= Entry.maximumHistoryLimit else { throw .damaged("history limit out of range") }
                let versionCount = Int(try reader.u16())
                guard (1...historyLimit + 1).contains(versionCount) else { throw .damaged("version count out of range") }
                var versions: [EntryVersion] = []
                versions.reserveCapacity(versionCount)
                for _ in 0..<versionCount {
                    let number = try reader.u32()
                    guard number >= 1 else { throw .damaged("version number 0") }
                    if let last = versions.last, number >= last.number { throw .damaged("versions are not strictly decreasing") }
                    let created = Int64(bitPattern: try reader.u64())
                    let length = Int(try reader.u32())
                    guard length <= VaultContents.maximumValueSize else { throw .damaged("value length out of range") }
                    let start = reader.offset
                    _ = try reader.take(length)
                    versions.append(EntryVersion(number: number, created: created, value: SecretValue(storage: payload, range: start..<start + length)))
                }
                entries.append(Entry(name: name, recipe: recipe, historyLimit: historyLimit, versions: versions))
            }
            guard reader.offset == raw.count else { throw .damaged("trailing bytes after the last entry") }
            return VaultContents(sortedUniqueEntries: entries)
        }
    }

    private struct Reader {
        let buffer: UnsafeRawBufferPointer
        var offset = 0

        mutating func take(_ count: Int) throws(VaultFormatError) -> Slice<UnsafeRawBufferPointer> {
            guard count <= buffer.count - offset else { throw .damaged("payload ends early") }
            defer { offset += count }
            return buffer[offset..<offset + count]
        }
        private mutating func load<T: FixedWidthInteger>(_: T.Type) throws(VaultFormatError) -> T {
            guard MemoryLayout<T>.size <= buffer.count - offset else { throw .damaged("payload ends early") }
            defer { offset += MemoryLayout<T>.size }
            return T(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        mutating func u8() throws(VaultFormatError) -> UInt8 { try load(UInt8.self) }
        mutating func u16() throws(VaultFormatError) -> UInt16 { try load(UInt16.self) }
        mutating func u32() throws(VaultFormatError) -> UInt32 { try load(UInt32.self) }
        mutating func u64() throws(VaultFormatError) -> UInt64 { try load(UInt64.self) }
    }
}
