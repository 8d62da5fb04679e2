package import SecretctlCrypto

/// Bech32 (BIP 173), the encoding of recipient and identity strings, as age uses it.
///
/// Strings are all lowercase or all uppercase; the six-character checksum catches
/// a mistyped or truncated recipient before anything is wrapped to it. Unlike
/// BIP 173, strings longer than 90 characters are allowed (an identity is 80).
package enum Bech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]

    /// `hrp` + "1" + the data in 5-bit groups + checksum; lowercase unless `uppercase`.
    ///
    /// Returned as a wiping buffer, since identity strings carry a private key.
    package static func encode(hrp: String, data: SecureBytes, uppercase: Bool = false) -> SecureBytes {
        let hrpBytes = Array(hrp.lowercased().utf8)
        var groups = data.withUnsafeBytes { convert(Array($0), from: 8, to: 5, pad: true) ?? [] }
        defer { wipe(&groups) }
        let checksum = self.checksum(hrp: hrpBytes, data: groups)
        let count = hrpBytes.count + 1 + groups.count + checksum.count
        return SecureBytes(count: count) { output in
            var index = 0
            for byte in hrpBytes {
                output[index] = uppercase ? upper(byte) : byte
                index += 1
            }
            output[index] = UInt8(ascii: "1")
            index += 1
            for group in groups + checksum {
                output[index] = uppercase ? upper(charset[Int(group)]) : charset[Int(group)]
                index += 1
            }
        }
    }

    /// The data of `text` when it is a valid Bech32 string with prefix `hrp`, else nil.
    package static func decode(hrp: String, text: SecureBytes) -> SecureBytes? {
        text.withUnsafeBytes { raw -> SecureBytes? in
            let bytes = Array(raw)
            let hasLower = bytes.contains { (0x61...0x7A).contains($0) }
            let hasUpper = bytes.contains { (0x41...0x5A).contains($0) }
            guard !(hasLower && hasUpper), bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
            var lowered = bytes.map(lower)
            defer { wipe(&lowered) }
            guard let separator = lowered.lastIndex(of: UInt8(ascii: "1")) else { return nil }
            let prefix = Array(lowered[..<separator])
            guard prefix == Array(hrp.lowercased().utf8), lowered.count - separator - 1 >= 6 else { return nil }
            var groups: [UInt8] = []
            for byte in lowered[(separator + 1)...] {
                guard let value = charset.firstIndex(of: byte) else { return nil }
                groups.append(UInt8(value))
            }
            defer { wipe(&groups) }
            guard polymod(expand(prefix) + groups) == 1 else { return nil }
            guard var data = convert(Array(groups.dropLast(6)), from: 5, to: 8, pad: false) else { return nil }
            defer { wipe(&data) }
            return SecureBytes(copying: data)
        }
    }

    // MARK: - BIP 173 internals

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        var check: UInt32 = 1
        for value in values {
            let top = check >> 25
            check = (check & 0x1ff_ffff) << 5 ^ UInt32(value)
            for index in 0..<5 where (top >> UInt32(index)) & 1 == 1 { check ^= generator[index] }
        }
        return check
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    private static func checksum(hrp: [UInt8], data: [UInt8]) -> [UInt8] {
        let value = polymod(expand(hrp) + data + [0, 0, 0, 0, 0, 0]) ^ 1
        return (0..<6).map { UInt8((value >> UInt32(5 * (5 - $0))) & 31) }
    }

    /// Regroups bits; nil when `pad` is false and the leftover bits are not zero padding.
    private static func convert(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator: UInt32 = 0
        var bits = 0
        let mask = UInt32(1 << to - 1)
        var output: [UInt8] = []
        output.reserveCapacity(data.count * from / to + 1)
        for value in data {
            guard Int(value) >> from == 0 else { return nil }
            accumulator = accumulator << UInt32(from) | UInt32(value)
            bits += from
            while bits >= to {
                bits -= to
                output.append(UInt8(accumulator >> UInt32(bits) & mask))
            }
        }
        if pad {
            if bits > 0 { output.append(UInt8(accumulator << UInt32(to - bits) & mask)) }
        } else if bits >= from || (accumulator << UInt32(to - bits)) & mask != 0 {
            return nil
        }
        accumulator = 0
        return output
    }

    private static func upper(_ byte: UInt8) -> UInt8 { (0x61...0x7A).contains(byte) ? byte - 32 : byte }
    private static func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 32 : byte }

    private static func wipe(_ bytes: inout [UInt8]) {
        for index in bytes.indices { bytes[index] = 0 }
    }
}
