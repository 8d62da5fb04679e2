/// A scalar as written: its text after YAML's unescaping and folding, never interpreted.
package struct YAMLScalar: Equatable, Hashable, Sendable {
    package var text: String
    package var style: YAMLScalarStyle
    /// The explicit tag, expanded (`!!int` is `tag:yaml.org,2002:int`; `!` stays `!`), or nil.
    package var tag: String?
    package var mark: YAMLMark

    package init(_ text: String, style: YAMLScalarStyle = .plain, tag: String? = nil, mark: YAMLMark = YAMLMark(line: 1, column: 1)) {
        self.text = text
        self.style = style
        self.tag = tag
        self.mark = mark
    }

    /// The type YAML 1.1 gives this scalar: its explicit tag, else `str` when quoted or block,
    /// else what the plain text looks like (see ``YAMLCoreSchema``).
    package var resolvedTag: YAMLTag {
        if let tag { return YAMLTag(explicit: tag) }
        return style == .plain ? YAMLCoreSchema.resolve(text) : .str
    }

    /// A plain `~`, `null`, `Null`, `NULL` or nothing (the explicit tag is not consulted).
    package var isPlainNull: Bool {
        style == .plain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }
}
