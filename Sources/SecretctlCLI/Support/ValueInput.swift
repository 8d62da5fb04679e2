import SecretctlCore
import SecretctlCrypto

/// Reads a value for `set`: `--from-file`, a pipe, or the no-echo prompt.
enum ValueInput {
    static let limit = VaultContents.maximumValueSize

    static func read(_ context: CommandContext, name: String, fromFile: String?, raw: Bool) throws(SecretctlError) -> SecretValue {
        if let fromFile {
            let path = context.environment.path(fromFile)
            return SecretValue(try readLimited { () throws(SecretctlError) in try FileSystem.readSecret(path, limit: limit) })
        }
        if context.stdin.isTerminal {
            guard let typed = try context.prompter.readSecret(prompt: "Value for \(name): ") else {
                throw SecretctlError(.usage, "no terminal to type the value on", hint: "pipe it on stdin or use --from-file")
            }
            return SecretValue(typed)
        }
        // Room for the line break that is trimmed below; the size is checked again after trimming.
        let piped = try readLimited { () throws(SecretctlError) in try context.stdin.readAll(limit: limit + 2) }
        return raw ? SecretValue(piped) : SecretValue(storage: piped, range: 0..<trimmedLength(piped))
    }

    private static func readLimited(_ body: () throws(SecretctlError) -> SecureBytes) throws(SecretctlError) -> SecureBytes {
        do {
            return try body()
        } catch where error.code == .usage {
            throw SecretctlError(.usage, "the value is larger than 1 MiB, the most a Kubernetes Secret holds")
        }
    }

    /// The length without one trailing "\n" or "\r\n".
    static func trimmedLength(_ bytes: SecureBytes) -> Int {
        bytes.withUnsafeBytes { raw in
            var end = raw.count
            if end > 0, raw[end - 1] == 0x0A {
                end -= 1
                if end > 0, raw[end - 1] == 0x0D { end -= 1 }
            }
            return end
        }
    }
}
