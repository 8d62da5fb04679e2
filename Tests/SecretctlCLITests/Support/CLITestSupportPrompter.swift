import SecretctlCLI
import SecretctlCore
import SecretctlCrypto

/// A `SecretPrompter` that answers from a script, as if a person typed at a terminal.
/// With no answers left it behaves like a process without a terminal (nil).
final class ScriptedPrompter: SecretPrompter, @unchecked Sendable {
    private let lock = NSLockLite()
    private var answers: [String]
    private var shown: [String] = []

    init(answers: [String]) { self.answers = answers }

    func readSecret(prompt: String) throws(SecretctlError) -> SecureBytes? {
        lock.withLock {
            shown.append(prompt)
            guard !answers.isEmpty else { return nil }
            return SecureBytes(copying: Array(answers.removeFirst().utf8))
        }
    }

    /// Every prompt shown so far, in order.
    var prompts: [String] { lock.withLock { shown } }
}
