/// Scans one input (a file, a blob, standard input) that arrives in chunks of any size.
///
/// The automaton state carries across chunks. Line numbers are counted only as far as
/// needed: a chunk's line breaks are counted when a match needs them or when another
/// chunk follows. A short tail of the previous chunk is kept so a match that started
/// there still gets its starting line.
package struct StreamScanner {
    package static let defaultHitLimit = 1000

    let matcher: MultiPatternMatcher
    private var state: UInt32 = 0
    /// LF bytes before the current chunk.
    private var linesBefore = 0
    private var tail: [UInt8] = []
    private let tailCapacity: Int
    private let hitLimit: Int
    package private(set) var hits: [ScanHit] = []
    /// True when more hits were found than `hitLimit`.
    package private(set) var truncated = false

    package init(matcher: MultiPatternMatcher, hitLimit: Int = StreamScanner.defaultHitLimit) {
        self.matcher = matcher
        self.hitLimit = hitLimit
        self.tailCapacity = 2 * matcher.maximumNeedleLength + 64
    }

    /// Scans the next chunk. `isLast` saves counting lines nobody will ask for.
    package mutating func feed(_ chunk: UnsafeRawBufferPointer, isLast: Bool = false) {
        var countedTo = 0
        var countedLines = 0
        let matcher = self.matcher
        state = matcher.scan(chunk, from: state) { index, endState in
            matcher.forEachNeedle(endingIn: endState) { needle in
                let length = matcher.needleLengths[needle]
                var startLine: Int
                var wrapped = false
                if matcher.needleHasBreak[needle] {
                    let endLines = lines(before: index, in: chunk, &countedTo, &countedLines)
                    startLine = 1 + endLines - matcher.needleLineBreaks[needle]
                } else {
                    // Walk back over the needle's bytes; any CR or LF on the way was skipped.
                    var remaining = length
                    var position = index
                    var breaks = 0
                    while remaining > 0 {
                        let value: UInt8
                        if position >= 0 {
                            value = chunk[position]
                        } else if tail.count + position >= 0 {
                            value = tail[tail.count + position]
                        } else {
                            break
                        }
                        if value == 0x0A {
                            breaks += 1
                            wrapped = true
                        } else if value == 0x0D {
                            wrapped = true
                        } else {
                            remaining -= 1
                        }
                        position -= 1
                    }
                    let start = position + 1
                    if start >= 0 {
                        startLine = 1 + lines(before: start, in: chunk, &countedTo, &countedLines)
                    } else {
                        startLine = 1 + lines(before: index, in: chunk, &countedTo, &countedLines) - breaks
                    }
                }
                record(ScanHit(needle: needle, line: startLine, wrapped: wrapped))
            }
        }
        if !isLast {
            linesBefore += countedLines + LineCounter.count(UnsafeRawBufferPointer(rebasing: chunk[countedTo...]))
            keepTail(chunk)
        }
    }

    /// Line breaks before `index` of the current chunk, counting forward from the last call.
    private func lines(before index: Int, in chunk: UnsafeRawBufferPointer, _ countedTo: inout Int, _ countedLines: inout Int) -> Int {
        if index > countedTo {
            countedLines += LineCounter.count(UnsafeRawBufferPointer(rebasing: chunk[countedTo..<index]))
            countedTo = index
            return linesBefore + countedLines
        }
        // Rare: an earlier position than already counted (several needles end together).
        return linesBefore + countedLines - LineCounter.count(UnsafeRawBufferPointer(rebasing: chunk[index..<countedTo]))
    }

    private mutating func record(_ hit: ScanHit) {
        if hits.contains(hit) { return }
        guard hits.count < hitLimit else {
            truncated = true
            return
        }
        hits.append(hit)
    }

    private mutating func keepTail(_ chunk: UnsafeRawBufferPointer) {
        if chunk.count >= tailCapacity {
            tail = Array(chunk[(chunk.count - tailCapacity)...])
        } else {
            tail.append(contentsOf: chunk)
            if tail.count > tailCapacity { tail.removeFirst(tail.count - tailCapacity) }
        }
    }
}
