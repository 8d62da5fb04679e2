import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct RecipientsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipients",
        abstract: "Share the vault with teammates: list, add and remove X25519 recipients.",
        discussion: """
            Each recipient line wraps the vault's data key to one person's (or one CI job's) \
            public key, so the vault file alone is safe to commit: only ciphertext reaches git.
            """,
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Let NAME open the vault: wrap its data key to their recipient string.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "A name for the recipient (letters, digits, '.', '_', '-', '@').")
        var name: String

        @Argument(help: "Their recipient string, secretctl1... (from 'secretctl keygen').")
        var recipient: String

        func run(in context: CommandContext) async throws -> Int32 {
            // This slot may hold a pasted value, so the message gives its length, never its text.
            guard RecipientName.isValid(name) else {
                throw SecretctlError(.usage,
                    "that is not a valid recipient name (\(EntryName.length(name)); a name has 1 to \(RecipientName.maximumLength) letters, digits, '.', '_', '-' and '@')")
            }
            let recipient = try Recipient(parsing: recipient)
            let store = try global.store(context)
            try store.update { (vault) throws(SecretctlError) in
                for case let .recipient(otherName, otherKey, _, _, _) in vault.header.unlockers {
                    if otherName == name {
                        throw SecretctlError(.failure, "\(store.path) already has a recipient named \(name)",
                            hint: "pick another name, or 'secretctl recipients rm \(name)' first")
                    }
                    if otherKey == recipient.publicKey {
                        throw SecretctlError(.failure, "that recipient is already listed as \(otherName)")
                    }
                }
                let name = self.name
                try VaultEditor.addUnlocker(to: &vault, vaultPath: store.path) { (dataKey, vaultID) throws(CryptoError) in
                    try VaultCrypto.recipientUnlocker(dataKey: dataKey, recipient: recipient, name: name, vaultID: vaultID)
                }
            }
            context.note("added recipient \(name) (\(recipient.shortString)) to \(store.path)")
            context.hint("commit the vault; \(name) opens it with their identity file or SECRETCTL_IDENTITY")
            return 0
        }
    }

    struct List: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Print each recipient's name and recipient string (no key needed).")

        @OptionGroup var global: GlobalOptions

        func run(in context: CommandContext) async throws -> Int32 {
            let store = try global.store(context)
            let header = try store.readFile().header
            var rows: [(String, String)] = []
            for case let .recipient(name, key, _, _, _) in header.unlockers {
                rows.append((name, try Recipient(publicKey: key).string))
            }
            let width = rows.map(\.0.count).max() ?? 0
            context.stdout.write(rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 + "\n" }.joined())
            let others = header.unlockers.filter { !$0.isRecipient }.map(\.label)
            if rows.isEmpty { context.note("\(store.path) has no recipients; add one with 'secretctl recipients add NAME secretctl1...'") }
            if !others.isEmpty { context.note("also unlocks with: \(others.joined(separator: ", "))") }
            return 0
        }
    }

    struct Remove: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Remove a recipient: new data key, every value re-encrypted; prints the entries they could read.",
            discussion: """
                The removed person cannot open any vault saved from now on. Re-keying does not take \
                back what they already read (and git history still holds the old file), so stdout lists \
                every entry they could read: rotate those values. \
                The new data key is wrapped again for every other unlocker: recipients need nothing, \
                a key file line needs its key (default key file, SECRETCTL_KEY or SECRETCTL_KEY_FILE), \
                a passphrase line its passphrase (SECRETCTL_PASSPHRASE or the prompt).
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The recipient's name.")
        var name: String

        @Flag(help: "Remove key file and passphrase lines whose key is not in hand instead of refusing.")
        var dropUnavailable = false

        func run(in context: CommandContext) async throws -> Int32 {
            let store = try global.store(context)
            let header = try store.readFile().header
            guard header.unlockers.contains(where: { if case let .recipient(other, _, _, _, _) = $0 { other == name } else { false } }) else {
                // Not repeated: the word may be a value typed in the wrong place, and the list is a command away.
                throw SecretctlError(.failure, "\(store.path) has no recipient by that name", hint: "see the names with 'secretctl recipients list'")
            }
            var passphrase: SecureBytes?
            if header.unlockers.contains(where: \.isPassphrase) {
                if let text = context.environment.variables["SECRETCTL_PASSPHRASE"], !text.isEmpty {
                    passphrase = SecureBytes(copying: Array(text.utf8))
                } else {
                    passphrase = try context.prompter.readSecret(prompt: "Passphrase (kept on the re-keyed vault): ")
                }
            }
            let (contents, dropped) = try store.update { (vault) throws(SecretctlError) -> (VaultContents, [String]) in
                vault.header.unlockers.removeAll { if case let .recipient(other, _, _, _, _) = $0 { other == name } else { false } }
                let rotation = DataKeyRotation(
                    keys: try DataKeyRotation.keysInHand(vaultID: vault.vaultID, environment: context.environment),
                    passphrase: passphrase, dropUnavailable: dropUnavailable)
                let dropped = try rotation.rotate(&vault)
                return (vault.contents, dropped)
            }
            let exposed = contents.sortedEntries
            context.stdout.write(exposed.map { $0.name + "\n" }.joined())
            context.note("removed recipient \(name) from \(store.path): new data key, every value re-encrypted")
            for label in dropped { context.warn("removed \(label): its key was not in hand") }
            if !exposed.isEmpty {
                context.warn("\(name) could read the \(exposed.count) entries listed on stdout (and the history kept with them); re-keying does not take that back")
                let byList = exposed.map(\.name).filter {
                    $0 == VersionedSecrets.listName || ($0 == VersionedSecrets.secretName && contents[VersionedSecrets.listName] != nil)
                }
                let random = exposed.filter { $0.recipe != nil && !byList.contains($0.name) }.map(\.name)
                let manual = exposed.filter { $0.recipe == nil && !byList.contains($0.name) }.map(\.name)
                if !random.isEmpty { context.hint("make new values with: secretctl rotate NAME  (\(random.joined(separator: ", ")))") }
                if !byList.isEmpty {
                    context.hint("make a new Better Auth secret with: \(RotationAdvice.nextStep(for: VersionedSecrets.listName, in: contents))  (\(byList.joined(separator: ", ")))")
                }
                if !manual.isEmpty {
                    context.hint("rotate these at their provider, then store the new values with: secretctl set NAME  (\(manual.joined(separator: ", ")))")
                }
            }
            context.hint("commit the vault; older commits still open with the old data key, so rotate before relying on the removal")
            return 0
        }
    }
}
