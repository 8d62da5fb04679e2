/// One thing `secretctl doctor` looked at: what it found and, when something needs
/// attention, the fix. Never a value.
package struct DoctorCheck: Equatable, Sendable {
    package enum Status: String, Sendable {
        /// As it should be.
        case ok
        /// Needs attention; `fix` says what to do. Any of these makes doctor exit 1.
        case attention
        /// Worth knowing, nothing to fix (a check that could not run, the kubectl context).
        case info
    }

    package var status: Status
    /// The area: `vault`, `key file`, `.gitignore`, `template`, `guard`, `kubectl`, `cluster`.
    package var area: String
    package var message: String
    package var fix: String?

    package init(_ status: Status, _ area: String, _ message: String, fix: String? = nil) {
        self.status = status
        self.area = area
        self.message = message
        self.fix = fix
    }
}
