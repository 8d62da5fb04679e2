package import SecretctlCrypto

/// Aho-Corasick over all needles at once: one pass over the input, any number of
/// needles, state carried across chunks, so memory stays bounded however long the
/// input is.
///
/// States are numbered in breadth-first order, so the shallow states, where a scan
/// spends nearly all its time, come first. Those get dense rows (a full transition per
/// byte class); deeper states keep their trie children and failure link, which keeps
/// memory linear in the needles' total length when a vault is large. When everything
/// fits in `denseBudget`, the whole automaton is dense and the inner loop is one table
/// load per byte.
///
/// Line breaks: inside a partial match, CR and LF that the needle does not expect are
/// skipped, so a base64 blob wrapped at 64 or 76 columns still matches.
///
/// Every table is derived from secret values, so all of them live in `WipedBuffer`s.
package final class MultiPatternMatcher: Sendable {
    package static let defaultDenseBudget = 32 << 20

    static let matchFlag: UInt32 = 1 << 31
    static let none = UInt32.max

    package let needleCount: Int
    package let stateCount: Int
    /// States `0..<denseCount` have dense rows.
    let denseCount: Int
    /// Byte classes per dense row.
    let stride: Int
    /// True when every state is dense and `fast` is used.
    let premultiplied: Bool
    /// The dense table renumbered: entries are row offsets (`state * stride`), and states
    /// where a needle ends have offsets at or above `matchThreshold`.
    let fast: WipedBuffer<UInt32>
    let fastToState: WipedBuffer<UInt32>
    let stateToFast: WipedBuffer<UInt32>
    let matchThreshold: UInt32

    let classOf: WipedBuffer<UInt16>
    let dense: WipedBuffer<UInt32>
    let label: WipedBuffer<UInt8>
    let firstChild: WipedBuffer<UInt32>
    let childCount: WipedBuffer<UInt16>
    let fail: WipedBuffer<UInt32>
    /// Needles ending exactly at a state: `order[outStart ..< outStart + outCount]`.
    let outStart: WipedBuffer<UInt32>
    let outCount: WipedBuffer<UInt32>
    /// The nearest state on the failure chain that has needles of its own.
    let dictLink: WipedBuffer<UInt32>
    let hasOutput: WipedBuffer<UInt8>
    let order: WipedBuffer<UInt32>

    /// Length of each needle.
    package let needleLengths: [Int]
    /// Number of LF bytes in each needle; needles with CR or LF are matched without skipping.
    package let needleLineBreaks: [Int]
    package let needleHasBreak: [Bool]
    package let maximumNeedleLength: Int

    /// Builds the automaton. `needles` must not hold empty strings.
    package init(needles: [SecureBytes], denseBudget: Int = MultiPatternMatcher.defaultDenseBudget) {
        let joined = SecureBytes.joined(needles)
        var offsets: [Int] = []
        var lengths: [Int] = []
        var total = 0
        for needle in needles {
            precondition(!needle.isEmpty, "empty needle")
            offsets.append(total)
            lengths.append(needle.count)
            total += needle.count
        }
        let capacity = total + 1
        let longest = lengths.max() ?? 0

        // Construction temporaries; wiped when they go out of scope.
        let parent = WipedBuffer<UInt32>(count: capacity, repeating: 0)
        let low = WipedBuffer<UInt32>(count: capacity, repeating: 0)
        let high = WipedBuffer<UInt32>(count: capacity, repeating: 0)
        // depthStart[d]: the first state of depth d (states are in depth order).
        let depthStart = WipedBuffer<UInt32>(count: longest + 2, repeating: 0)

        let label = WipedBuffer<UInt8>(count: capacity, repeating: 0)
        let firstChild = WipedBuffer<UInt32>(count: capacity, repeating: 0)
        let childCount = WipedBuffer<UInt16>(count: capacity, repeating: 0)
        let fail = WipedBuffer<UInt32>(count: capacity, repeating: 0)
        let outStart = WipedBuffer<UInt32>(count: capacity, repeating: 0)
        let outCount = WipedBuffer<UInt32>(count: capacity, repeating: 0)
        let dictLink = WipedBuffer<UInt32>(count: capacity, repeating: Self.none)
        let hasOutput = WipedBuffer<UInt8>(count: capacity, repeating: 0)
        let order = WipedBuffer<UInt32>(count: needles.count, repeating: 0)
        let classOf = WipedBuffer<UInt16>(count: 256, repeating: 0)

        var lineBreaks: [Int] = []
        var hasBreak: [Bool] = []
        var states = 1
        var classes = 1
        var maxDepth = 0
        joined.withUnsafeBytes { all in
            for index in 0..<needles.count {
                let bytes = UnsafeRawBufferPointer(rebasing: all[offsets[index]..<offsets[index] + lengths[index]])
                lineBreaks.append(bytes.dropLast().reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
                hasBreak.append(bytes.contains { $0 == 0x0A || $0 == 0x0D })
            }
            func byte(_ needle: UInt32, _ position: Int) -> UInt8 { all[offsets[Int(needle)] + position] }
            func length(_ needle: UInt32) -> Int { lengths[Int(needle)] }

            // Sort needle indices by their bytes, so every trie node is a contiguous range.
            let sorted = (0..<needles.count).sorted { a, b in
                let x = UnsafeRawBufferPointer(rebasing: all[offsets[a]..<offsets[a] + lengths[a]])
                let y = UnsafeRawBufferPointer(rebasing: all[offsets[b]..<offsets[b] + lengths[b]])
                return x.lexicographicallyPrecedes(y)
            }
            for (position, needle) in sorted.enumerated() { order[position] = UInt32(needle) }

            // Breadth-first trie: ids come out in depth order, children in byte order.
            low[0] = 0
            high[0] = UInt32(needles.count)
            var depth = 0
            var nextDepthBoundary = 1
            var node = 0
            while node < states {
                if node == nextDepthBoundary {
                    depth += 1
                    depthStart[depth] = UInt32(node)
                    nextDepthBoundary = states
                }
                var i = Int(low[node])
                let end = Int(high[node])
                outStart[node] = UInt32(i)
                while i < end, length(order[i]) == depth { i += 1 }
                outCount[node] = UInt32(i) - outStart[node]
                firstChild[node] = UInt32(states)
                var children = 0
                while i < end {
                    let value = byte(order[i], depth)
                    var j = i + 1
                    while j < end, byte(order[j], depth) == value { j += 1 }
                    label[states] = value
                    parent[states] = UInt32(node)
                    low[states] = UInt32(i)
                    high[states] = UInt32(j)
                    states += 1
                    children += 1
                    i = j
                }
                childCount[node] = UInt16(children)
                node += 1
            }
            maxDepth = depth
            depthStart[depth + 1] = UInt32(states)

            // Byte classes: each byte that occurs in a needle is its own class; CR and LF
            // always are (they have their own rule); all other bytes share class 0.
            let used = WipedBuffer<Bool>(count: 256, repeating: false)
            for index in 0..<all.count { used[Int(all[index])] = true }
            used[0x0A] = true
            used[0x0D] = true
            for value in 0..<256 where used[value] {
                classOf[value] = UInt16(classes)
                classes += 1
            }
        }

        // Failure links, in breadth-first order so a parent's link is always ready.
        for state in 1..<max(states, 1) {
            let up = Int(parent[state])
            if up == 0 {
                fail[state] = 0
                continue
            }
            let value = label[state]
            var candidate = Int(fail[up])
            while true {
                if let next = Self.child(of: candidate, value, firstChild, childCount, label) {
                    fail[state] = UInt32(next)
                    break
                }
                if candidate == 0 {
                    fail[state] = 0
                    break
                }
                candidate = Int(fail[candidate])
            }
        }
        for state in 1..<max(states, 1) {
            let link = Int(fail[state])
            dictLink[state] = outCount[link] > 0 ? UInt32(link) : dictLink[link]
            hasOutput[state] = outCount[state] > 0 || dictLink[state] != Self.none ? 1 : 0
        }

        // As many whole depth levels as fit in the budget get dense rows; the root always does.
        var denseStates = 1
        if maxDepth >= 1 {
            for level in 2...(maxDepth + 1) {
                let count = Int(depthStart[level])
                guard count * classes * 4 <= denseBudget else { break }
                denseStates = count
            }
        }
        let dense = WipedBuffer<UInt32>(count: denseStates * classes, repeating: 0)

        let representative = WipedBuffer<Int>(count: classes, repeating: -1)
        for value in 0..<256 where classOf[value] != 0 { representative[Int(classOf[value])] = value }
        for state in 0..<denseStates {
            for cls in 0..<classes {
                var target = 0
                if cls != 0 {
                    let value = UInt8(representative[cls])
                    if let next = Self.child(of: state, value, firstChild, childCount, label) {
                        target = next
                    } else if state != 0, value == 0x0A || value == 0x0D {
                        // A line break inside a partial match is skipped; it ends no needle.
                        dense[state * classes + cls] = UInt32(state)
                        continue
                    } else if state != 0 {
                        // fail[state] is shallower, so its row is already complete.
                        target = Int(dense[Int(fail[state]) * classes + cls] & ~Self.matchFlag)
                    }
                }
                dense[state * classes + cls] = UInt32(target) | (hasOutput[target] != 0 ? Self.matchFlag : 0)
            }
        }

        // When every state is dense, renumber them so the states where a needle ends come
        // last and store row offsets: the inner loop is then one add and one load per byte,
        // and "a needle ends here" is a comparison off the critical path.
        let fast: WipedBuffer<UInt32>
        let fastToState: WipedBuffer<UInt32>
        let stateToFast: WipedBuffer<UInt32>
        var matchThreshold = UInt32.max
        if denseStates == states {
            // A state where a needle ends loops to itself on a skipped CR or LF; that loop goes
            // to a non-matching shadow copy instead, or the same match would be reported again.
            let matching = (0..<states).filter { hasOutput[$0] != 0 }
            let total = states + matching.count
            fastToState = WipedBuffer(count: total, repeating: 0)
            stateToFast = WipedBuffer(count: states, repeating: 0)
            let shadowOf = WipedBuffer<UInt32>(count: states, repeating: 0)
            var next = 0
            for state in 0..<states where hasOutput[state] == 0 {
                stateToFast[state] = UInt32(next)
                fastToState[next] = UInt32(state)
                next += 1
            }
            for state in matching {
                shadowOf[state] = UInt32(next)
                fastToState[next] = UInt32(state)
                next += 1
            }
            matchThreshold = UInt32(next * classes)
            for state in matching {
                stateToFast[state] = UInt32(next)
                fastToState[next] = UInt32(state)
                next += 1
            }
            fast = WipedBuffer(count: total * classes, repeating: 0)
            func fill(row: Int, from state: Int, loop: UInt32?) {
                for cls in 0..<classes {
                    let target = Int(dense[state * classes + cls] & ~Self.matchFlag)
                    if target == state, let loop, cls == Int(classOf[0x0A]) || cls == Int(classOf[0x0D]) {
                        fast[row + cls] = loop * UInt32(classes)
                    } else {
                        fast[row + cls] = stateToFast[target] * UInt32(classes)
                    }
                }
            }
            for state in 0..<states {
                let isMatch = hasOutput[state] != 0
                fill(row: Int(stateToFast[state]) * classes, from: state, loop: isMatch ? shadowOf[state] : nil)
                if isMatch { fill(row: Int(shadowOf[state]) * classes, from: state, loop: shadowOf[state]) }
            }
        } else {
            fast = WipedBuffer(count: 0, repeating: 0)
            fastToState = WipedBuffer(count: 0, repeating: 0)
            stateToFast = WipedBuffer(count: 0, repeating: 0)
        }

        self.needleCount = needles.count
        self.needleLengths = lengths
        self.maximumNeedleLength = longest
        self.needleLineBreaks = lineBreaks
        self.needleHasBreak = hasBreak
        self.stateCount = states
        self.stride = classes
        self.denseCount = denseStates
        self.premultiplied = denseStates == states
        self.fast = fast
        self.fastToState = fastToState
        self.stateToFast = stateToFast
        self.matchThreshold = matchThreshold
        self.classOf = classOf
        self.dense = dense
        self.label = label
        self.firstChild = firstChild
        self.childCount = childCount
        self.fail = fail
        self.outStart = outStart
        self.outCount = outCount
        self.dictLink = dictLink
        self.hasOutput = hasOutput
        self.order = order
    }

    /// The child of `state` on `value`, or nil.
    @inline(__always)
    static func child(
        of state: Int, _ value: UInt8, _ firstChild: WipedBuffer<UInt32>, _ childCount: WipedBuffer<UInt16>, _ label: WipedBuffer<UInt8>
    ) -> Int? {
        let first = Int(firstChild[state])
        let count = Int(childCount[state])
        if count == 0 { return nil }
        if count <= 8 {
            for index in first..<first + count where label[index] == value { return index }
            return nil
        }
        var lower = first
        var upper = first + count
        while lower < upper {
            let middle = (lower + upper) / 2
            let found = label[middle]
            if found == value { return middle }
            if found < value { lower = middle + 1 } else { upper = middle }
        }
        return nil
    }

    // MARK: - Scanning

    /// Runs the automaton over `chunk` from `state` (0 at the start of an input) and calls
    /// `onMatch(index, state)` when one or more needles end at `chunk[index]`. Returns the
    /// state to continue from with the next chunk of the same input.
    package func scan(_ chunk: UnsafeRawBufferPointer, from state: UInt32, onMatch: (Int, UInt32) -> Void) -> UInt32 {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return state }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let count = chunk.count
        var position = 0
        if premultiplied {
            let width = UInt32(stride)
            var current = stateToFast[Int(state)] &* width
            let overlap = 2 * maximumNeedleLength + 64
            if count >= max(8 * overlap, Self.interleaveMinimum) {
                return scanInterleaved(bytes, count, from: current, overlap: overlap, onMatch: onMatch)
            }
            while true {
                let stop: Int
                (stop, current) = Self.runFast(bytes, position, count, current, classOf.base, fast.base, matchThreshold)
                if stop == count { break }
                onMatch(stop, fastToState[Int(current / width)])
                position = stop + 1
            }
            return fastToState[Int(current / width)]
        }
        var current = state
        while true {
            let stop: Int
            (stop, current) = runHybrid(bytes, position, count, current)
            if stop == count { break }
            onMatch(stop, current)
            position = stop + 1
        }
        return current
    }

    /// Chunks at least this long are scanned as two interleaved halves.
    static let interleaveMinimum = 16 << 10

    /// Each step of the automaton waits for the previous one's table load, so one stream
    /// cannot use the core fully. Two halves of the chunk run interleaved instead: the
    /// first from `state`, the second from the root `overlap` bytes before the middle
    /// (longer than any match, line breaks included), reporting only matches that end at
    /// or after the middle. The state after the chunk is the second half's.
    private func scanInterleaved(
        _ bytes: UnsafePointer<UInt8>, _ count: Int, from state: UInt32, overlap: Int, onMatch: (Int, UInt32) -> Void
    ) -> UInt32 {
        let width = UInt32(stride)
        let middle = count / 2
        var first = 0
        var second = middle - overlap
        var stateA = state
        var stateB: UInt32 = 0  // the root, numbered first
        let classes = classOf.base
        let table = fast.base
        while first < middle, second < count {
            let found: UInt8
            (first, second, stateA, stateB, found) = Self.runFastPair(
                bytes, first, middle, second, count, stateA, stateB, classes, table, matchThreshold)
            guard found != 0 else { break }
            // Both streams consumed the byte at their position; report whichever matched there.
            if found & 1 != 0 { onMatch(first, fastToState[Int(stateA / width)]) }
            if found & 2 != 0, second >= middle { onMatch(second, fastToState[Int(stateB / width)]) }
            first += 1
            second += 1
        }
        while first < middle {
            let stop: Int
            (stop, stateA) = Self.runFast(bytes, first, middle, stateA, classes, table, matchThreshold)
            if stop == middle { break }
            onMatch(stop, fastToState[Int(stateA / width)])
            first = stop + 1
        }
        while second < count {
            let stop: Int
            (stop, stateB) = Self.runFast(bytes, second, count, stateB, classes, table, matchThreshold)
            if stop == count { break }
            if stop >= middle { onMatch(stop, fastToState[Int(stateB / width)]) }
            second = stop + 1
        }
        return fastToState[Int(stateB / width)]
    }

    /// Two streams in one loop; stops when either ends or either reaches a match state
    /// (bit 0: the first, bit 1: the second, at the returned positions).
    @inline(never)
    static func runFastPair(
        _ bytes: UnsafePointer<UInt8>, _ startA: Int, _ endA: Int, _ startB: Int, _ endB: Int, _ stateA: UInt32, _ stateB: UInt32,
        _ classes: UnsafePointer<UInt16>, _ table: UnsafePointer<UInt32>, _ threshold: UInt32
    ) -> (Int, Int, UInt32, UInt32, UInt8) {
        var a = stateA
        var b = stateB
        var i = startA
        var j = startB
        let steps = min(endA - startA, endB - startB)
        let stop = startA &+ steps
        while i < stop {
            a = table[Int(a &+ UInt32(classes[Int(bytes[i])]))]
            b = table[Int(b &+ UInt32(classes[Int(bytes[j])]))]
            if a >= threshold || b >= threshold {
                return (i, j, a, b, (a >= threshold ? 1 : 0) | (b >= threshold ? 2 : 0))
            }
            i &+= 1
            j &+= 1
        }
        return (i, j, a, b, 0)
    }

    /// The hot loop: runs from `start` until a needle ends (returns its index) or the end
    /// (returns `end`). Kept apart from any closure so everything stays in registers.
    @inline(never)
    static func runFast(
        _ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ state: UInt32,
        _ classes: UnsafePointer<UInt16>, _ table: UnsafePointer<UInt32>, _ threshold: UInt32
    ) -> (Int, UInt32) {
        var current = state
        var index = start
        while index < end {
            current = table[Int(current &+ UInt32(classes[Int(bytes[index])]))]
            if current >= threshold { return (index, current) }
            index &+= 1
        }
        return (end, current)
    }

    @inline(never)
    func runHybrid(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ state: UInt32) -> (Int, UInt32) {
        let classes = classOf.base
        let table = dense.base
        let denseLimit = UInt32(denseCount)
        let width = stride
        let flag = Self.matchFlag
        var current = state
        var index = start
        while index < end {
            let value = bytes[index]
            let entry = current < denseLimit ? table[Int(current) &* width &+ Int(classes[Int(value)])] : sparseStep(current, value)
            current = entry & ~flag
            if entry & flag != 0 { return (index, current) }
            index &+= 1
        }
        return (end, current)
    }

    /// One transition from a deep state: its own children, then the failure chain.
    private func sparseStep(_ start: UInt32, _ value: UInt8) -> UInt32 {
        var state = Int(start)
        if value == 0x0A || value == 0x0D {
            if let next = Self.child(of: state, value, firstChild, childCount, label) {
                return UInt32(next) | (hasOutput[next] != 0 ? Self.matchFlag : 0)
            }
            return start
        }
        while state >= denseCount {
            if let next = Self.child(of: state, value, firstChild, childCount, label) {
                return UInt32(next) | (hasOutput[next] != 0 ? Self.matchFlag : 0)
            }
            state = Int(fail[state])
        }
        let entry = dense[state * stride + Int(classOf[Int(value)])]
        return entry
    }

    /// Calls `body` with the index of every needle that ends in `state`.
    package func forEachNeedle(endingIn state: UInt32, _ body: (Int) -> Void) {
        var current = Int(state)
        if outCount[current] == 0 { current = dictLink[current] == Self.none ? -1 : Int(dictLink[current]) }
        while current > 0 {
            let start = Int(outStart[current])
            for position in start..<start + Int(outCount[current]) { body(Int(order[position])) }
            current = dictLink[current] == Self.none ? -1 : Int(dictLink[current])
        }
    }
}

extension MultiPatternMatcher: CustomStringConvertible {
    package var description: String { "MultiPatternMatcher(\(needleCount) needles, \(stateCount) states, <redacted>)" }
}
