internal import CYAML

/// Owns one libyaml parser over a caller's buffer and composes its events into nodes.
/// The buffer must outlive the composer (``YAMLLoader`` keeps both inside one call).
final class YAMLComposer {
    /// A composed node with what an alias to it would cost: its node count and its height.
    private struct Anchored {
        var node: YAMLNode
        var size: Int
        var height: Int
    }

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let event: UnsafeMutablePointer<yaml_event_t>
    /// libyaml refuses a null input pointer; an empty buffer may have none.
    private let emptyInput: UnsafeMutablePointer<UInt8>
    private let input: UnsafeRawBufferPointer
    private let limits: YAMLLimits
    private var anchors: [String: Anchored] = [:]
    private var nodeCount = 0

    init(bytes: UnsafeRawBufferPointer, limits: YAMLLimits) throws(YAMLError) {
        // Thrown before any stored property is set, so deinit (which frees them) does not run.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        guard yaml_parser_initialize(parser) != 0 else {
            parser.deallocate()
            throw YAMLError("out of memory", at: YAMLMark(line: 1, column: 1))
        }
        self.parser = parser
        event = .allocate(capacity: 1)
        emptyInput = .allocate(capacity: 1)
        input = bytes
        self.limits = limits
        let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(emptyInput)
        yaml_parser_set_input_string(parser, start, bytes.count)
        // As Yams did: the input is UTF-8 (a UTF-16 byte order mark is an error, not a switch).
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        event.deallocate()
        emptyInput.deallocate()
    }

    // MARK: - Documents

    func documents() throws(YAMLError) -> [YAMLNode] {
        guard case .streamStart = try next() else { throw YAMLError("expected the start of a stream", at: YAMLMark(line: 1, column: 1)) }
        var documents: [YAMLNode] = []
        while true {
            switch try next() {
            case .documentStart:
                anchors.removeAll() // anchors do not cross documents
                let (node, _, _) = try compose(try next(), depth: 1)
                guard case .documentEnd = try next() else { throw unexpected(node.mark) }
                documents.append(node)
            case .streamEnd:
                return documents
            default:
                throw unexpected(YAMLMark(line: 1, column: 1))
            }
        }
    }

    /// A node from its first event, with its size (nodes, aliases expanded) and height.
    private func compose(_ first: YAMLEvent, depth: Int) throws(YAMLError) -> (YAMLNode, size: Int, height: Int) {
        switch first {
        case let .scalar(scalar, anchor):
            try enter(depth: depth, height: 1, at: scalar.mark)
            try count(1, at: scalar.mark)
            let node = YAMLNode.scalar(scalar)
            register(anchor, Anchored(node: node, size: 1, height: 1))
            return (node, 1, 1)

        case let .alias(name, mark):
            guard let anchored = anchors[name] else {
                throw YAMLError("found an alias to an anchor that is not defined before it in this document", at: mark)
            }
            try enter(depth: depth, height: anchored.height, at: mark)
            try count(anchored.size, at: mark)
            return (anchored.node, anchored.size, anchored.height)

        case let .sequenceStart(anchor, tag, mark):
            try enter(depth: depth, height: 1, at: mark)
            try count(1, at: mark)
            var items: [YAMLNode] = []
            var size = 1
            var height = 1
            while true {
                let event = try next()
                if case .sequenceEnd = event { break }
                let (item, itemSize, itemHeight) = try compose(event, depth: depth + 1)
                items.append(item)
                size += itemSize
                height = max(height, itemHeight + 1)
            }
            let node = YAMLNode.sequence(YAMLSequence(items, tag: tag, mark: mark))
            register(anchor, Anchored(node: node, size: size, height: height))
            return (node, size, height)

        case let .mappingStart(anchor, tag, mark):
            try enter(depth: depth, height: 1, at: mark)
            try count(1, at: mark)
            var pairs: [YAMLMapping.Element] = []
            var scalarKeys = Set<String>()
            var size = 1
            var height = 1
            while true {
                let event = try next()
                if case .mappingEnd = event { break }
                let (key, keySize, keyHeight) = try compose(event, depth: depth + 1)
                try checkUnique(key, scalarKeys: &scalarKeys, pairs: pairs)
                let (value, valueSize, valueHeight) = try compose(try next(), depth: depth + 1)
                pairs.append((key, value))
                size += keySize + valueSize
                height = max(height, keyHeight + 1, valueHeight + 1)
            }
            let node = YAMLNode.mapping(YAMLMapping(pairs, tag: tag, mark: mark))
            register(anchor, Anchored(node: node, size: size, height: height))
            return (node, size, height)

        case .streamStart, .streamEnd, .documentStart, .documentEnd, .sequenceEnd, .mappingEnd:
            throw unexpected(YAMLMark(line: 1, column: 1))
        }
    }

    // MARK: - Checks

    /// Refuses a node whose deepest level (`depth + height - 1`) is past the limit.
    private func enter(depth: Int, height: Int, at mark: YAMLMark) throws(YAMLError) {
        guard depth + height - 1 <= limits.maxDepth else {
            throw YAMLError("nested deeper than \(limits.maxDepth) levels", at: mark)
        }
    }

    private func count(_ nodes: Int, at mark: YAMLMark) throws(YAMLError) {
        nodeCount += nodes
        guard nodeCount <= limits.maxNodes else {
            throw YAMLError("more than \(limits.maxNodes) nodes, counting each alias as the nodes it repeats", at: mark)
        }
    }

    /// A key equal in text to an earlier one is refused: YAML forbids it, and which of the two
    /// a reader keeps differs between tools. The key itself is not quoted.
    private func checkUnique(_ key: YAMLNode, scalarKeys: inout Set<String>, pairs: [YAMLMapping.Element]) throws(YAMLError) {
        let repeated: Bool
        if let text = key.string {
            repeated = !scalarKeys.insert(text).inserted
        } else {
            repeated = pairs.contains { $0.key.hasSameContent(as: key) }
        }
        if repeated { throw YAMLError("found a duplicate key in a mapping", at: key.mark) }
    }

    private func register(_ anchor: String?, _ anchored: Anchored) {
        if let anchor { anchors[anchor] = anchored } // a later anchor of the same name shadows
    }

    private func unexpected(_ mark: YAMLMark) -> YAMLError {
        YAMLError("unexpected parser event", at: mark)
    }

    // MARK: - Events

    private func next() throws(YAMLError) -> YAMLEvent {
        guard yaml_parser_parse(parser, event) != 0 else { throw parserError() }
        defer { yaml_event_delete(event) }
        let mark = Self.mark(event.pointee.start_mark)
        switch event.pointee.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_STREAM_END_EVENT: return .streamEnd
        case YAML_DOCUMENT_START_EVENT: return .documentStart
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: Self.string(event.pointee.data.alias.anchor) ?? "", mark: mark)
        case YAML_SCALAR_EVENT:
            let data = event.pointee.data.scalar
            let text = data.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self) } ?? ""
            let scalar = YAMLScalar(text, style: Self.style(data.style), tag: Self.string(data.tag), mark: mark)
            return .scalar(scalar, anchor: Self.string(data.anchor))
        case YAML_SEQUENCE_START_EVENT:
            let data = event.pointee.data.sequence_start
            return .sequenceStart(anchor: Self.string(data.anchor), tag: Self.string(data.tag), mark: mark)
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let data = event.pointee.data.mapping_start
            return .mappingStart(anchor: Self.string(data.anchor), tag: Self.string(data.tag), mark: mark)
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        default:
            throw unexpected(mark)
        }
    }

    /// libyaml's reason (a fixed string) and position. A reader error (bad UTF-8, a control
    /// character) gives a byte offset only; it is turned into a line and column here.
    private func parserError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? (state.error == YAML_MEMORY_ERROR ? "out of memory" : "cannot be parsed")
        if state.error == YAML_READER_ERROR {
            return YAMLError(problem, at: mark(ofByte: state.problem_offset))
        }
        let context = state.context.map { String(cString: $0) }
        return YAMLError(problem, at: Self.mark(state.problem_mark), context: context,
            contextMark: context == nil ? nil : Self.mark(state.context_mark))
    }

    private func mark(ofByte offset: Int) -> YAMLMark {
        var line = 1
        var column = 1
        var index = 0
        while index < min(offset, input.count) {
            let byte = input[index]
            if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && (index + 1 == input.count || input[index + 1] != UInt8(ascii: "\n"))) {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 && byte != UInt8(ascii: "\r") {
                column += 1
            }
            index += 1
        }
        return YAMLMark(line: line, column: column)
    }

    private static func mark(_ mark: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: mark.line + 1, column: mark.column + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
