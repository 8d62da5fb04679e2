import SecretctlCore
import SecretctlCrypto

/// Reads a new passphrase: `SECRETCTL_PASSPHRASE`, else typed twice on the terminal.
enum PassphraseInput {
    static let minimumLength = 8

    static func newPassphrase(_ context: CommandContext) throws(SecretctlError) -> SecureBytes {
        let passphrase: SecureBytes
        if let text = context.environment.variables["SECRETCTL_PASSPHRASE"], !text.isEmpty {
            passphrase = SecureBytes(copying: Array(text.utf8))
        } else {
            guard let first = try context.prompter.readSecret(prompt: "New passphrase: ") else {
                throw SecretctlError(.usage, "no terminal to type a passphrase on",
                    hint: "set SECRETCTL_PASSPHRASE in the environment (not on the command line)")
            }
            guard let second = try context.prompter.readSecret(prompt: "Repeat it: "), second.constantTimeEquals(first) else {
                throw SecretctlError(.usage, "the two passphrases differ; nothing was changed")
            }
            passphrase = first
        }
        guard passphrase.count >= minimumLength else {
            throw SecretctlError(.usage, "the passphrase is shorter than \(minimumLength) characters; nothing was changed")
        }
        return passphrase
    }
}
