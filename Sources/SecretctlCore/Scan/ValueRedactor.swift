internal import SecretctlCrypto

/// Hides secret values in text another program wrote (kubectl's stderr, which may echo the
/// manifest it was fed): every value, in every form `scan` looks for (raw, base64 and
/// base64url at any alignment, percent, hex, JSON escapes), and each component of a
/// versioned list such as `BETTER_AUTH_SECRETS`.
///
/// One pass of `MultiPatternMatcher` finds every needle at once, and what is hidden is the
/// union of all the places they cover. Replacing values one after another would not do:
/// once a short value inside a longer one (a password inside a database URL, an old secret
/// inside `2:new,1:old`) is replaced, the longer one no longer matches and the rest of it
/// stays in clear.
package enum ValueRedactor {
    package static let placeholder = "<redacted>"

    /// `text` with every place a needle of `values` covers replaced by `<redacted>` (one
    /// placeholder per run of overlapping or touching places). Values shorter than
    /// `shortest` bytes are left alone: they would match ordinary words.
    package static func redact(_ text: String, values: [SecretValue], shortest: Int) -> String {
        let needles = self.needles(values, shortest: shortest)
        guard !needles.isEmpty, !text.isEmpty else { return text }
        let matcher = MultiPatternMatcher(needles: needles)
        var bytes = Array(text.utf8)
        var spans: [Range<Int>] = []
        bytes.withUnsafeBytes { raw in
            _ = matcher.scan(raw, from: 0) { end, state in
                matcher.forEachNeedle(endingIn: state) { needle in
                    spans.append(start(of: needle, endingAt: end, in: raw, matcher)..<(end + 1))
                }
            }
        }
        guard !spans.isEmpty else { return text }
        spans.sort { $0.lowerBound < $1.lowerBound }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var position = 0
        var index = 0
        while index < spans.count {
            var merged = spans[index]
            index += 1
            while index < spans.count, spans[index].lowerBound <= merged.upperBound {
                merged = merged.lowerBound..<max(merged.upperBound, spans[index].upperBound)
                index += 1
            }
            output.append(contentsOf: bytes[position..<merged.lowerBound])
            output.append(contentsOf: placeholder.utf8)
            position = merged.upperBound
        }
        output.append(contentsOf: bytes[position...])
        // The copy held values; it goes now rather than whenever the allocator reuses it.
        for index in bytes.indices { bytes[index] = 0 }
        return String(decoding: output, as: UTF8.self)
    }

    /// Where a match ending at `end` starts. The matcher skips CR and LF inside a match of
    /// a needle that holds neither (a wrapped base64 blob), so those are walked over too.
    private static func start(of needle: Int, endingAt end: Int, in text: UnsafeRawBufferPointer, _ matcher: MultiPatternMatcher) -> Int {
        let length = matcher.needleLengths[needle]
        if matcher.needleHasBreak[needle] { return end + 1 - length }
        var remaining = length
        var position = end
        while position >= 0 {
            if text[position] != 0x0A, text[position] != 0x0D {
                remaining -= 1
                if remaining == 0 { return position }
            }
            position -= 1
        }
        return 0
    }

    /// Every form of every value, and of every component of a value that is a versioned
    /// list. Long values are cut into overlapping windows, the last one ending at the
    /// value's end, so any stretch of one (and of its base64, whose window forms lose a
    /// character or two at each edge) is covered without an automaton the size of every
    /// form of a megabyte.
    static func needles(_ values: [SecretValue], shortest: Int) -> [SecureBytes] {
        var all: [SecretValue] = []
        for value in values {
            all.append(value)
            if let items = try? VersionedSecrets.parse(value) { all += items.map(\.value) }
        }
        var needles: [SecureBytes] = []
        for value in all where value.count >= max(shortest, 1) {
            value.withUnsafeBytes { raw in
                if raw.count <= NeedleEncoder.wholeValueLimit {
                    needles += NeedleEncoder.forms(of: raw).map(\.1)
                } else {
                    let size = NeedleEncoder.windowSize
                    var start = 0
                    while true {
                        let window = UnsafeRawBufferPointer(rebasing: raw[start..<start + size])
                        needles += NeedleEncoder.windowForms(of: window).map(\.1)
                        if start + size == raw.count { break }
                        start = min(start + size - 16, raw.count - size)
                    }
                }
            }
        }
        return needles.filter { !$0.isEmpty }
    }
}
