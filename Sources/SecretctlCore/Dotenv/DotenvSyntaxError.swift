/// Why a dotenv file cannot be read: the line and a reason. Never any of the file's text,
/// which may be a value.
package struct DotenvSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    package var line: Int
    package var reason: String

    package init(line: Int, _ reason: String) {
        self.line = line
        self.reason = reason
    }

    package var description: String { "line \(line): \(reason)" }
}
