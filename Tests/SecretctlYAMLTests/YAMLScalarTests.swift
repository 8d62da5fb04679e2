import SecretctlYAML
import Testing

/// Scalar styles, tags, and the YAML 1.1 types of plain scalars.
struct YAMLScalarTests {
    @Test("every scalar style gives its text and style", arguments: [
        ("k: plain text\n", "plain text", YAMLScalarStyle.plain),
        ("k: 'it''s'\n", "it's", .singleQuoted),
        ("k: \"tab\\there \\u00e9 \\\"q\\\"\"\n", "tab\there é \"q\"", .doubleQuoted),
        ("k: |\n  line one\n  line two\n", "line one\nline two\n", .literal),
        ("k: |-\n  kept\n", "kept", .literal),
        ("k: >\n  folded\n  together\n\n  para\n", "folded together\npara\n", .folded),
        ("k: \"\"\n", "", .doubleQuoted),
        ("k: \"nul\\0inside\"\n", "nul\u{0}inside", .doubleQuoted),
    ])
    func styles(text: String, expected: String, style: YAMLScalarStyle) throws {
        let scalar = try #require(try YAMLTestSupport.document(text)["k"]?.scalar, "k is a scalar")
        #expect(scalar.text == expected)
        #expect(scalar.style == style)
        #expect(scalar.tag == nil)
    }

    @Test("explicit tags are kept expanded and decide the type", arguments: [
        ("k: !!str 5432\n", "tag:yaml.org,2002:str", YAMLTag.str),
        ("k: !!int \"5\"\n", "tag:yaml.org,2002:int", .int),
        ("k: !!null ''\n", "tag:yaml.org,2002:null", .null),
        ("k: ! 5432\n", "!", .str),
        ("k: !custom x\n", "!custom", .other("!custom")),
        ("k: !<tag:example.com,2024:x> y\n", "tag:example.com,2024:x", .other("tag:example.com,2024:x")),
    ])
    func explicitTags(text: String, tag: String, resolved: YAMLTag) throws {
        let scalar = try #require(try YAMLTestSupport.document(text)["k"]?.scalar, "k is a scalar")
        #expect(scalar.tag == tag)
        #expect(scalar.resolvedTag == resolved)
    }

    @Test("quoted and block scalars are strings whatever they look like", arguments: [
        "k: \"5432\"\n", "k: 'true'\n", "k: \"null\"\n", "k: |\n  1.5\n", "k: ''\n",
    ])
    func quotedIsString(text: String) throws {
        #expect(try YAMLTestSupport.document(text)["k"]?.resolvedTag == .str)
    }

    // MARK: - Plain scalars under YAML 1.1

    @Test("plain scalars Kubernetes or Yams read as non-strings", arguments: [
        ("5432", YAMLTag.int), ("-7", .int), ("+0", .int), ("0", .int), ("0x1F", .int), ("0X1f", .int),
        ("0o17", .int), ("017", .int), ("0b101", .int), ("1_000", .int), ("1:30", .int), ("190:20:30", .int),
        ("1.5", .float), ("1.", .float), (".5", .float), ("-.5", .float), ("+.5e3", .float), ("1e3", .float),
        ("1.0e+3", .float), ("08", .float), ("99999999999999999999", .int), ("1:30.5", .float),
        (".inf", .float), ("-.Inf", .float), ("+.INF", .float), (".nan", .float), (".NaN", .float),
        ("true", .bool), ("False", .bool), ("TRUE", .bool), ("yes", .bool), ("No", .bool), ("on", .bool),
        ("OFF", .bool), ("y", .bool), ("N", .bool),
        ("null", .null), ("Null", .null), ("NULL", .null), ("~", .null), ("", .null),
        ("2024-01-31", .timestamp), ("2001-12-14t21:59:43.10-05:00", .timestamp),
        ("2001-12-14 21:59:43.10 -5", .timestamp), ("2001-12-15T02:59:43.1Z", .timestamp),
        ("<<", .merge), ("=", .value),
    ])
    func plainNonStrings(text: String, tag: YAMLTag) {
        #expect(YAMLCoreSchema.resolve(text) == tag, "\(text)")
    }

    @Test("plain scalars that stay strings", arguments: [
        "hello", "sk-live-123", "1.2.3", "0x", "0xG1", "1e", "e5", "yes please", "True2", "nullx", "v1",
        "2024-1-31", "2024-01-31x", "12:60", "1:", "0b", "0b102", "-", ".", "+", "0.0.0.0", "1_000x",
        "postgres://u:p@h:5432/db", "~x", ".infinity", "+.nan", "Yes!", "ON_CALL",
    ])
    func plainStrings(text: String) {
        #expect(YAMLCoreSchema.resolve(text) == .str, "\(text)")
    }
}
