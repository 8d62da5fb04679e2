/// An error a user can act on: what went wrong, where, and the next step.
///
/// Messages never contain a secret value; they may name entries and files.
package struct SecretctlError: Error, Equatable, Sendable {
    package var code: ExitCode
    package var message: String
    package var hint: String?

    package init(_ code: ExitCode, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }
}

extension SecretctlError: CustomStringConvertible {
    package var description: String { message }
}

/// The process exit codes, documented in README.md.
package enum ExitCode: Int32, Sendable, CaseIterable {
    case success = 0
    /// General failure, for example no such entry; for `diff`, "different".
    case failure = 1
    /// `diff` only: any failure (exit 1 means "different" there), as diff(1) does.
    case trouble = 2
    /// A command-line usage error (sysexits EX_USAGE).
    case usage = 64
    /// The vault is damaged or was tampered with (EX_DATAERR).
    case damaged = 65
    /// An input file or the vault is missing (EX_NOINPUT).
    case noInput = 66
    /// A system or environment error, such as kubectl failing to start (EX_OSERR).
    case system = 71
    /// The file system refused a write: full disk, read-only folder (EX_CANTCREAT).
    case cannotWrite = 73
    /// Another process holds the vault's lock past the timeout (EX_TEMPFAIL).
    case lockTimeout = 75
    /// No key in hand unlocks the vault: wrong key or passphrase (EX_NOPERM).
    case noKey = 77
}
