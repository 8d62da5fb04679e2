package import SecretctlCrypto

/// Asks a person for a secret without echoing it. The CLI implements it on `/dev/tty`.
package protocol SecretPrompter: Sendable {
    /// The typed bytes without the line break, or nil when no terminal is available.
    func readSecret(prompt: String) throws(SecretctlError) -> SecureBytes?
}

/// A prompter for contexts without a terminal.
package struct NoPrompter: SecretPrompter {
    package init() {}
    package func readSecret(prompt: String) throws(SecretctlError) -> SecureBytes? { nil }
}
