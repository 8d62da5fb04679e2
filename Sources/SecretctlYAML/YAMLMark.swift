/// A position in the input: 1-based line and column (columns count characters, not bytes).
package struct YAMLMark: Equatable, Hashable, Sendable, CustomStringConvertible {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package var description: String { "line \(line), column \(column)" }
}
