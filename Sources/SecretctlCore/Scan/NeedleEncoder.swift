package import SecretctlCrypto

/// Encodes a value into the forms people leak it in. Every output is a `SecureBytes`;
/// nothing here keeps a copy in an ordinary array.
package enum NeedleEncoder {
    /// Values longer than this are searched by windows from their middle: an exact
    /// 1 MiB needle would cost megabytes of automaton per form and breaks on any reformatting.
    package static let wholeValueLimit = 1024
    /// The size of each window taken from a long value.
    package static let windowSize = 128

    /// Every form of `value`, in rank order. Forms equal to an earlier one are left out.
    package static func forms(of value: UnsafeRawBufferPointer) -> [(NeedleForm, SecureBytes)] {
        var output: [(NeedleForm, SecureBytes)] = []
        func add(_ form: NeedleForm, _ bytes: SecureBytes) {
            guard !bytes.isEmpty else { return }
            let duplicate = output.contains { existing in
                existing.1.count == bytes.count && existing.1.withUnsafeBytes { a in bytes.withUnsafeBytes { b in a.elementsEqual(b) } }
            }
            if !duplicate { output.append((form, bytes)) }
        }
        add(.raw, build(value) { input, emit in input.forEach(emit) })
        add(.base64, base64(value, table: standardTable, padded: true))
        add(.base64Unpadded, base64(value, table: standardTable, padded: false))
        add(.base64URL, base64(value, table: urlTable, padded: true))
        add(.base64URLUnpadded, base64(value, table: urlTable, padded: false))
        for alignment in 0..<3 { add(.base64Blob(alignment: alignment), base64Middle(value, alignment: alignment, table: standardTable)) }
        for alignment in 0..<3 { add(.base64URLBlob(alignment: alignment), base64Middle(value, alignment: alignment, table: urlTable)) }
        addSubstringForms(value, add)
        return output
    }

    /// The forms of a window cut from a long value: only those whose encoding of a part
    /// is a substring of the encoding of the whole (so no standalone base64).
    package static func windowForms(of window: UnsafeRawBufferPointer) -> [(NeedleForm, SecureBytes)] {
        var output: [(NeedleForm, SecureBytes)] = []
        func add(_ form: NeedleForm, _ bytes: SecureBytes) {
            guard !bytes.isEmpty else { return }
            let duplicate = output.contains { existing in
                existing.1.count == bytes.count && existing.1.withUnsafeBytes { a in bytes.withUnsafeBytes { b in a.elementsEqual(b) } }
            }
            if !duplicate { output.append((form, bytes)) }
        }
        add(.raw, build(window) { input, emit in input.forEach(emit) })
        for alignment in 0..<3 { add(.base64Blob(alignment: alignment), base64Middle(window, alignment: alignment, table: standardTable)) }
        for alignment in 0..<3 { add(.base64URLBlob(alignment: alignment), base64Middle(window, alignment: alignment, table: urlTable)) }
        addSubstringForms(window, add)
        return output
    }

    private static func addSubstringForms(_ value: UnsafeRawBufferPointer, _ add: (NeedleForm, SecureBytes) -> Void) {
        add(.percentEncoded, build(value) { input, emit in percent(input, keep: isUnreserved, digits: upperDigits, emit) })
        add(.percentComponent, build(value) { input, emit in percent(input, keep: isComponentSafe, digits: upperDigits, emit) })
        add(.formEncoded, build(value) { input, emit in formEncode(input, emit) })
        add(.percentEncodedAll, build(value) { input, emit in percent(input, keep: isAlphanumeric, digits: upperDigits, emit) })
        add(.percentEncodedLowercase, build(value) { input, emit in percent(input, keep: isUnreserved, digits: lowerDigits, emit) })
        add(.hex, build(value) { input, emit in hex(input, digits: lowerDigits, emit) })
        add(.hexUppercase, build(value) { input, emit in hex(input, digits: upperDigits, emit) })
        add(.jsonEscaped, build(value) { input, emit in jsonEscape(input, slash: false, emit) })
        add(.jsonEscapedSlash, build(value) { input, emit in jsonEscape(input, slash: true, emit) })
        if let ascii = jsonASCII(value) { add(.jsonEscapedASCII, ascii) }
    }

    // MARK: - Building into wiping buffers

    /// Runs `encode` once to count and once to write, so the result is allocated exactly once.
    static func build(
        _ input: UnsafeRawBufferPointer, _ encode: (UnsafeRawBufferPointer, (UInt8) -> Void) -> Void
    ) -> SecureBytes {
        var length = 0
        encode(input) { _ in length += 1 }
        return SecureBytes(count: length) { output in
            var index = 0
            encode(input) { byte in
                output[index] = byte
                index += 1
            }
        }
    }

    // MARK: - base64

    static let standardTable = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlTable = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Emits the base64 of `filler` zero bytes followed by `input`, keeping only the
    /// characters with index in `keep`.
    private static func base64Characters(
        _ input: UnsafeRawBufferPointer, filler: Int, table: [UInt8], padded: Bool, keep: Range<Int>, _ emit: (UInt8) -> Void
    ) {
        let total = filler + input.count
        func byte(_ index: Int) -> UInt32 { index < filler ? 0 : UInt32(input[index - filler]) }
        var character = 0
        func put(_ value: UInt8) {
            if keep.contains(character) { emit(value) }
            character += 1
        }
        var index = 0
        while index + 3 <= total {
            let v = byte(index) << 16 | byte(index + 1) << 8 | byte(index + 2)
            put(table[Int(v >> 18 & 63)])
            put(table[Int(v >> 12 & 63)])
            put(table[Int(v >> 6 & 63)])
            put(table[Int(v & 63)])
            index += 3
        }
        let rest = total - index
        if rest > 0 {
            let v = byte(index) << 16 | (rest == 2 ? byte(index + 1) << 8 : 0)
            put(table[Int(v >> 18 & 63)])
            put(table[Int(v >> 12 & 63)])
            if rest == 2 { put(table[Int(v >> 6 & 63)]) }
            if padded {
                put(UInt8(ascii: "="))
                if rest == 1 { put(UInt8(ascii: "=")) }
            }
        }
    }

    static func base64(_ input: UnsafeRawBufferPointer, table: [UInt8], padded: Bool) -> SecureBytes {
        build(input) { input, emit in
            base64Characters(input, filler: 0, table: table, padded: padded, keep: 0..<Int.max, emit)
        }
    }

    /// The characters of base64(filler + value) that depend on value bytes only: character
    /// j covers bits [6j, 6j+6), the value covers bits [8a, 8a+8n).
    static func base64Middle(_ input: UnsafeRawBufferPointer, alignment: Int, table: [UInt8]) -> SecureBytes {
        let firstBit = 8 * alignment
        let endBit = 8 * (alignment + input.count)
        let first = (firstBit + 5) / 6
        let end = endBit / 6
        guard end > first else { return SecureBytes() }
        return build(input) { input, emit in
            base64Characters(input, filler: alignment, table: table, padded: false, keep: first..<end, emit)
        }
    }

    // MARK: - Percent and hex

    static let upperDigits = Array("0123456789ABCDEF".utf8)
    static let lowerDigits = Array("0123456789abcdef".utf8)

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// RFC 3986 unreserved: ALPHA DIGIT - . _ ~
    static func isUnreserved(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }

    /// What `encodeURIComponent` leaves alone: unreserved plus ! ' ( ) *
    static func isComponentSafe(_ byte: UInt8) -> Bool {
        isUnreserved(byte) || byte == 0x21 || byte == 0x27 || byte == 0x28 || byte == 0x29 || byte == 0x2A
    }

    private static func percent(_ input: UnsafeRawBufferPointer, keep: (UInt8) -> Bool, digits: [UInt8], _ emit: (UInt8) -> Void) {
        for byte in input {
            if keep(byte) {
                emit(byte)
            } else {
                emit(UInt8(ascii: "%"))
                emit(digits[Int(byte >> 4)])
                emit(digits[Int(byte & 15)])
            }
        }
    }

    /// The WHATWG `application/x-www-form-urlencoded` serializer: keeps ALPHA DIGIT * - . _, space as +.
    private static func formEncode(_ input: UnsafeRawBufferPointer, _ emit: (UInt8) -> Void) {
        for byte in input {
            if isAlphanumeric(byte) || byte == 0x2A || byte == 0x2D || byte == 0x2E || byte == 0x5F {
                emit(byte)
            } else if byte == 0x20 {
                emit(UInt8(ascii: "+"))
            } else {
                emit(UInt8(ascii: "%"))
                emit(upperDigits[Int(byte >> 4)])
                emit(upperDigits[Int(byte & 15)])
            }
        }
    }

    private static func hex(_ input: UnsafeRawBufferPointer, digits: [UInt8], _ emit: (UInt8) -> Void) {
        for byte in input {
            emit(digits[Int(byte >> 4)])
            emit(digits[Int(byte & 15)])
        }
    }

    // MARK: - JSON

    private static func jsonEscape(_ input: UnsafeRawBufferPointer, slash: Bool, _ emit: (UInt8) -> Void) {
        for byte in input { jsonEscapeASCII(byte, slash: slash, emit) }
    }

    private static func jsonEscapeASCII(_ byte: UInt8, slash: Bool, _ emit: (UInt8) -> Void) {
        func escaped(_ letter: Character) {
            emit(UInt8(ascii: "\\"))
            emit(letter.asciiValue!)
        }
        switch byte {
        case 0x22: escaped("\"")
        case 0x5C: escaped("\\")
        case 0x2F where slash: escaped("/")
        case 0x08: escaped("b")
        case 0x0C: escaped("f")
        case 0x0A: escaped("n")
        case 0x0D: escaped("r")
        case 0x09: escaped("t")
        case 0..<0x20: unicodeEscape(UInt16(byte), emit)
        default: emit(byte)
        }
    }

    private static func unicodeEscape(_ unit: UInt16, _ emit: (UInt8) -> Void) {
        emit(UInt8(ascii: "\\"))
        emit(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) { emit(lowerDigits[Int(unit >> UInt16(shift) & 15)]) }
    }

    /// Python's `json.dumps` default: non-ASCII as `\uXXXX` (UTF-16 units). Nil when the
    /// value is ASCII (no difference) or not valid UTF-8 (no JSON encoder would take it).
    private static func jsonASCII(_ input: UnsafeRawBufferPointer) -> SecureBytes? {
        guard input.contains(where: { $0 >= 0x80 }) else { return nil }
        var valid = true
        var iterator = input.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: break loop
            case .error:
                valid = false
                break loop
            }
        }
        guard valid else { return nil }
        return build(input) { input, emit in
            var iterator = input.makeIterator()
            var decoder = UTF8()
            while case let .scalarValue(scalar) = decoder.decode(&iterator) {
                if scalar.value < 0x80 {
                    jsonEscapeASCII(UInt8(scalar.value), slash: false, emit)
                } else {
                    for unit in UTF16.encode(scalar)! { unicodeEscape(unit, emit) }
                }
            }
        }
    }
}
