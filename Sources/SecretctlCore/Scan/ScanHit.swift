/// One needle found in one input: where it starts, by line.
package struct ScanHit: Hashable, Sendable {
    /// Index into the `NeedleSet`.
    package var needle: Int
    /// 1-based line of the needle's first byte.
    package var line: Int
    /// True when line breaks were skipped inside the match (a wrapped base64 blob).
    package var wrapped: Bool

    package init(needle: Int, line: Int, wrapped: Bool) {
        self.needle = needle
        self.line = line
        self.wrapped = wrapped
    }
}
