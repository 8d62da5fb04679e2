/// Why a stream could not be read, and where. It carries libyaml's own wording (fixed strings
/// such as "found unexpected end of stream") or the composer's, and positions only: never any
/// text of the input, which may hold a secret value.
package struct YAMLError: Error, Equatable, Sendable, CustomStringConvertible {
    package var problem: String
    package var mark: YAMLMark
    /// What libyaml was reading when it failed ("while scanning a quoted scalar") and where
    /// that started, if it says.
    package var context: String?
    package var contextMark: YAMLMark?

    package init(_ problem: String, at mark: YAMLMark, context: String? = nil, contextMark: YAMLMark? = nil) {
        self.problem = problem
        self.mark = mark
        self.context = context
        self.contextMark = contextMark
    }

    /// `line 4, column 1: found unexpected end of stream (while scanning a quoted scalar at line 3, column 6)`
    package var description: String {
        var text = "\(mark): \(problem)"
        if let context {
            text += contextMark.map { " (\(context) at \($0))" } ?? " (\(context))"
        }
        return text
    }
}
