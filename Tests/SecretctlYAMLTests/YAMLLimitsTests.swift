import SecretctlYAML
import Testing

/// The bounds that keep a hostile file from exhausting the stack or the CPU.
struct YAMLLimitsTests {
    static func flowSequences(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    static func blockMappings(_ depth: Int) -> String {
        (0..<depth).map { String(repeating: "  ", count: $0) + "k:" }.joined(separator: "\n") + " leaf\n"
    }

    @Test("nesting up to the limit is read; one level more is refused", arguments: [256, 10])
    func depthLimit(limit: Int) throws {
        let limits = YAMLLimits(maxDepth: limit)
        // `limit - 1` sequences hold an empty-sequence leaf at depth `limit`.
        _ = try YAMLTestSupport.document(Self.flowSequences(limit), limits: limits)
        let error = try YAMLTestSupport.error(Self.flowSequences(limit + 1), limits: limits)
        #expect(error.problem.contains("nested deeper than \(limit) levels"), "\(error)")
        #expect(error.mark == YAMLMark(line: 1, column: limit + 1))
    }

    @Test func blockNestingCountsTheScalarsAtTheBottom() throws {
        let limits = YAMLLimits(maxDepth: 8)
        _ = try YAMLTestSupport.document(Self.blockMappings(7), limits: limits)
        let error = try YAMLTestSupport.error(Self.blockMappings(8), limits: limits)
        #expect(error.problem.contains("nested deeper"))
    }

    @Test("a deep stream far past the limit fails fast, not by exhausting the stack")
    func hostileDepth() throws {
        let error = try YAMLTestSupport.error(Self.flowSequences(200_000))
        #expect(error.problem.contains("nested deeper than 256 levels"))
    }

    @Test("an alias counts at the depth it is used", arguments: [(8, true), (7, false)])
    func aliasDepth(limit: Int, accepted: Bool) throws {
        // b's alias sits at depth 5 and repeats a node 4 levels high: its leaves are at depth 8.
        let text = "a: &x [[[1]]]\nb: [[[*x]]]\n"
        let limits = YAMLLimits(maxDepth: limit)
        if accepted {
            _ = try YAMLTestSupport.document(text, limits: limits)
        } else {
            let error = try YAMLTestSupport.error(text, limits: limits)
            #expect(error.mark.line == 2)
        }
    }

    /// Nine levels of ten aliases each: a billion nodes if expanded.
    static let billionLaughs: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let previous = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(level): &a\(level) [\(previous)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func billionLaughsIsRefused() throws {
        let error = try YAMLTestSupport.error(Self.billionLaughs)
        #expect(error.problem.contains("more than 1000000 nodes"), "\(error)")
    }

    @Test("the node limit counts every node an alias repeats", arguments: [(124, true), (123, false)])
    func nodeLimit(maxNodes: Int, accepted: Bool) throws {
        // a: 1 + 1 + 10 = 12 nodes; b: 1 + 9 * 12 = 109; two keys; the root: 124 in all.
        let text = "a: &a [[x, x, x, x, x, x, x, x, x, x]]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        let limits = YAMLLimits(maxNodes: maxNodes)
        if accepted {
            _ = try YAMLTestSupport.document(text, limits: limits)
        } else {
            let error = try YAMLTestSupport.error(text, limits: limits)
            #expect(error.problem.contains("more than 123 nodes"), "\(error)")
            #expect(error.mark == YAMLMark(line: 2, column: 37), "at the alias that crosses the limit")
        }
    }
}
