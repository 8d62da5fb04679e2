/// Counts LF bytes fast: eight at a time with the classic zero-byte trick.
enum LineCounter {
    static func count(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        var total = 0
        var index = 0
        let pattern: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while index + 8 <= n {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ pattern
            // High bit of each byte set where the byte is non-zero; exact, no carries across bytes.
            let nonZero = ((word & low7) &+ low7) | word
            total &+= (~nonZero & ~low7).nonzeroBitCount
            index &+= 8
        }
        while index < n {
            if base.load(fromByteOffset: index, as: UInt8.self) == 0x0A { total &+= 1 }
            index &+= 1
        }
        return total
    }
}
