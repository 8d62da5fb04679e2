// libFuzzer target: the scanner's multi-pattern matcher (Aho-Corasick with line-break
// tolerance). The input is split into needles and a haystack; every match the matcher reports,
// dense or hybrid, in one chunk or two, must be exactly the matches of a naive search over the
// haystack with CR and LF removed. Not part of `swift build`.
import SecretctlCore
import SecretctlCrypto

/// (end index in the haystack, needle index) of every occurrence, naively.
func naive(_ needles: [[UInt8]], _ haystack: [UInt8]) -> Set<[Int]> {
    // Line breaks inside a partial match are skipped: search the haystack without them and map
    // each position back.
    var positions: [Int] = []
    var filtered: [UInt8] = []
    for (index, byte) in haystack.enumerated() where byte != 0x0A && byte != 0x0D {
        positions.append(index)
        filtered.append(byte)
    }
    var found = Set<[Int]>()
    for (number, needle) in needles.enumerated() where needle.count <= filtered.count {
        for start in 0...(filtered.count - needle.count) where filtered[start..<start + needle.count].elementsEqual(needle) {
            found.insert([positions[start + needle.count - 1], number])
        }
    }
    return found
}

func matches(_ matcher: MultiPatternMatcher, _ haystack: [UInt8], split: Int) -> Set<[Int]> {
    var found = Set<[Int]>()
    haystack.withUnsafeBytes { raw in
        var state: UInt32 = 0
        for range in [0..<split, split..<raw.count] {
            state = matcher.scan(UnsafeRawBufferPointer(rebasing: raw[range]), from: state) { index, end in
                matcher.forEachNeedle(endingIn: end) { found.insert([range.lowerBound + index, $0]) }
            }
        }
    }
    return found
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScan(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard bytes.count >= 3 else { return 0 }
    var cursor = 1
    var needles: [[UInt8]] = []
    for _ in 0..<(Int(bytes[0]) % 8 + 1) {
        guard cursor < bytes.count else { break }
        let length = Int(bytes[cursor]) % 24 + 1
        cursor += 1
        guard cursor + length <= bytes.count else { break }
        // Needles with line breaks follow other rules (matched without skipping); left out here.
        needles.append(bytes[cursor..<cursor + length].map { $0 == 0x0A || $0 == 0x0D ? 0x78 : $0 })
        cursor += length
    }
    guard !needles.isEmpty, cursor < bytes.count else { return 0 }
    let split = Int(bytes[cursor])
    let haystack = Array(bytes[(cursor + 1)...])
    let cut = haystack.isEmpty ? 0 : split % (haystack.count + 1)
    let expected = naive(needles, haystack)
    let secure = needles.map { SecureBytes(copying: $0) }
    for budget in [MultiPatternMatcher.defaultDenseBudget, 0, 600] {
        let matcher = MultiPatternMatcher(needles: secure, denseBudget: budget)
        let found = matches(matcher, haystack, split: cut)
        precondition(found == expected, "budget \(budget): matcher found \(found.count), naive \(expected.count)")
    }
    return 0
}
