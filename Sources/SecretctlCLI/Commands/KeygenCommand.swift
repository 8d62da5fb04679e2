import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct KeygenCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create your personal identity (an X25519 key pair) and print its recipient string.",
        discussion: """
            The private key goes to $XDG_CONFIG_HOME/secretctl/identity (mode 0600, never \
            overwritten). stdout gets the public recipient string (secretctl1...): send it to a \
            teammate who can open the vault, who runs 'secretctl recipients add YOUR-NAME <string>'. \
            For CI, make a separate identity with '--output -' (the identity goes to stdout, the \
            recipient to stderr), store it as the CI secret SECRETCTL_IDENTITY, and add its recipient.
            """)

    @Option(name: .shortAndLong, help: "Write the identity here instead ('-' for stdout).")
    var output: String?

    @Flag(help: "Print the recipient string of the existing identity instead of making one.")
    var show = false

    func run(in context: CommandContext) async throws -> Int32 {
        let environment = context.environment
        let path = output.map { $0 == "-" ? "-" : environment.path($0) } ?? Identity.defaultPath(environment: environment)
        if show {
            let identity: Identity
            if path == "-" {
                throw SecretctlError(.usage, "--show reads an identity file; '-' is not one")
            } else if output == nil, let text = environment["SECRETCTL_IDENTITY"] {
                identity = try Identity(parsing: SecureBytes(copying: Array(text.utf8)), source: "SECRETCTL_IDENTITY")
            } else {
                identity = try Identity.read(path)
            }
            context.stdout.write(identity.recipient.string + "\n")
            return 0
        }

        let identity = try Identity.generate()
        let comments = ["secretctl identity, created \(TimeFormat.rfc3339(context.clock()))", "keep this file secret; it unlocks every vault that lists its recipient"]
        if path == "-" {
            context.stdout.write(identity.fileText(comments: comments))
            context.note("recipient: \(identity.recipient.string)")
            context.hint("store the identity (stdout) as the CI secret SECRETCTL_IDENTITY, then add the recipient to the vault")
            return 0
        }
        try identity.create(at: path, comments: comments)
        context.stdout.write(identity.recipient.string + "\n")
        context.note("wrote your identity to \(path) (mode 0600); back it up, never commit it")
        context.hint("send the recipient string above to a teammate, who runs: secretctl recipients add YOUR-NAME \(identity.recipient.string)")
        return 0
    }
}
