/// Byte-sequence search for leak checks.
extension Array where Element == UInt8 {
    /// Whether `needle` occurs in `self` as a contiguous run.
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first, self[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}

extension String {
    var utf8Bytes: [UInt8] { Array(utf8) }
}
