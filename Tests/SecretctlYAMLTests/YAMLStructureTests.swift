import SecretctlYAML
import Testing

/// Mappings, sequences, documents and positions as the composer builds them.
struct YAMLStructureTests {
    @Test("block and flow forms compose to the same content", arguments: [
        ("a: x\nb:\n  - 1\n  - 2\n", "{a: x, b: [1, 2]}"),
        ("- a: 1\n  b: 2\n- [x, y]\n", "[{a: 1, b: 2}, [x, y]]"),
        ("outer:\n  inner:\n    leaf: v\n", "{outer: {inner: {leaf: v}}}"),
        ("? complex\n: value\n", "{complex: value}"),
        ("- - nested\n  - seq\n", "[[nested, seq]]"),
    ])
    func blockAndFlowAgree(block: String, flow: String) throws {
        let blockNode = try YAMLTestSupport.document(block)
        let flowNode = try YAMLTestSupport.document(flow)
        #expect(blockNode.hasSameContent(as: flowNode), "\(blockNode) vs \(flowNode)")
    }

    @Test func mappingsKeepOrderAndLookUpByText() throws {
        let node = try YAMLTestSupport.document("zeta: 1\n\"alpha\": 2\n'mid': [a, b]\n")
        let mapping = try #require(node.mapping, "a mapping")
        #expect(mapping.map { $0.key.string } == ["zeta", "alpha", "mid"])
        #expect(node["alpha"]?.string == "2", "a quoted key is found by its text")
        #expect(node["mid"]?.sequence?.map(\.string) == ["a", "b"])
        #expect(node["missing"] == nil)
        #expect(node["mid"]?["a"] == nil, "a sequence has no keys")
        #expect(node.resolvedTag == .map)
        #expect(node["mid"]?.resolvedTag == .seq)
    }

    @Test("each node knows its 1-based line and column")
    func marks() throws {
        let node = try YAMLTestSupport.document("a: 1\nb:\n  c: [x, \"y\"]\n")
        #expect(node.mark == YAMLMark(line: 1, column: 1))
        #expect(node["a"]?.mark == YAMLMark(line: 1, column: 4))
        let pair = try #require(node["b"]?.mapping?.first, "b holds c")
        #expect(pair.key.mark == YAMLMark(line: 3, column: 3))
        #expect(pair.value.mark == YAMLMark(line: 3, column: 6))
        #expect(pair.value.sequence?.last?.mark == YAMLMark(line: 3, column: 10))
    }

    @Test("a stream holds any number of documents", arguments: [
        ("a: 1\n---\nb: 2\n...\n---\n- x\n", 3),
        ("--- first\n--- second\n", 2),
        ("", 0),
        ("# a comment only\n", 0),
        ("\n\n", 0),
        ("---\n", 1),
        ("--- \n...\n--- \n...\n", 2),
    ])
    func documentCounts(text: String, count: Int) throws {
        #expect(try YAMLLoader.load(text).count == count)
    }

    @Test("an empty document is a plain empty scalar, which is null", arguments: ["---\n", "--- \n...\n", "---\n# nothing\n"])
    func emptyDocumentIsNull(text: String) throws {
        let node = try YAMLTestSupport.document(text)
        let scalar = try #require(node.scalar, "a scalar")
        #expect(scalar.text.isEmpty)
        #expect(scalar.isPlainNull)
        #expect(node.resolvedTag == .null)
    }

    @Test("CRLF line breaks read like LF")
    func crlf() throws {
        let crlf = try YAMLTestSupport.document("a: 1\r\nb: |\r\n  x\r\n  y\r\nc: \"q\"\r\n")
        let lf = try YAMLTestSupport.document("a: 1\nb: |\n  x\n  y\nc: \"q\"\n")
        #expect(crlf.hasSameContent(as: lf))
        #expect(crlf["b"]?.string == "x\ny\n", "a literal block keeps LF breaks")
        #expect(crlf["c"]?.mark == YAMLMark(line: 5, column: 4))
    }

    // MARK: - Anchors and aliases

    @Test func anAliasIsTheNodeItsAnchorNames() throws {
        let node = try YAMLTestSupport.document("base: &b {x: 1, y: [2]}\ncopy: *b\nscalar: &s text\nagain: *s\n")
        let base = try #require(node["base"], "base")
        let copy = try #require(node["copy"], "copy")
        #expect(copy.hasSameContent(as: base))
        #expect(node["again"]?.string == "text")
    }

    @Test func aLaterAnchorOfTheSameNameShadowsTheEarlierOne() throws {
        let node = try YAMLTestSupport.document("a: &x 1\nb: &x 2\nc: *x\n")
        #expect(node["c"]?.string == "2")
    }

    @Test("an alias must name an anchor defined before it in the same document", arguments: [
        ("a: *nowhere\n", 1),
        ("a: &x [1, *x]\n", 1),
        ("a: &x 1\n---\nb: *x\n", 3),
    ])
    func undefinedAliasesAreRefused(text: String, line: Int) throws {
        let error = try YAMLTestSupport.error(text)
        #expect(error.problem.contains("alias"), "\(error)")
        #expect(error.mark.line == line)
    }

    // MARK: - Duplicate keys

    @Test("a repeated key is refused, whatever its quoting", arguments: [
        ("a: 1\na: 2\n", 2),
        ("{a: 1, a: 2}\n", 1),
        ("a: 1\n'a': 2\n", 2),
        ("x:\n  k: 1\n  \"k\": 2\n", 3),
        ("? [p, q]\n: 1\n? [p, q]\n: 2\n", 3),
        ("base: &k key\n*k : 1\nkey: 2\n", 3),
    ])
    func duplicateKeysAreRefused(text: String, line: Int) throws {
        let error = try YAMLTestSupport.error(text)
        #expect(error.problem.contains("duplicate key"), "\(error)")
        #expect(error.mark.line == line, "the repeated key's line: \(error)")
    }

    @Test func equalKeysInDifferentMappingsAreFine() throws {
        let node = try YAMLTestSupport.document("a: {k: 1}\nb: {k: 2}\n")
        #expect(node["a"]?["k"]?.string == "1")
        #expect(node["b"]?["k"]?.string == "2")
    }
}
