import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct GitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git",
        abstract: "Make git diff and git merge understand vaults.",
        subcommands: [Setup.self, TextConv.self, Merge.self])

    struct Setup: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "setup",
            abstract: "Add the .gitattributes line and this clone's git config for the vault drivers.",
            discussion: """
                Appends '\(GitSetup.attributesLine)' to the project's .gitattributes (commit it) \
                and sets diff.secretctl.textconv and merge.secretctl.driver in .git/config. git config is \
                not committed: every clone runs 'secretctl git setup' once. \
                Then 'git diff' and 'git log -p' show vaults as entry names, versions and times (never \
                values), and 'git merge' merges vaults entry by entry.
                """)

        @Option(help: "How git should start secretctl (a name on PATH or an absolute path).")
        var command = "secretctl"

        func run(in context: CommandContext) async throws -> Int32 {
            let root = ProjectLocator(environment: context.environment).projectRoot
            let report = try await GitSetup(git: GitRunner(environment: context.environment)).apply(projectRoot: root, command: command)
            if report.attributesAdded {
                context.note("added '\(GitSetup.attributesLine)' to \(report.attributesPath); commit it")
            } else {
                context.note("\(report.attributesPath) already routes vaults to secretctl")
            }
            for (key, value) in report.configuration { context.note("git config \(key) \"\(value)\"") }
            context.hint("teammates run 'secretctl git setup' in their clones too (git config is not committed)")
            return 0
        }
    }

    struct TextConv: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "textconv",
            abstract: "git's diff text converter: a vault as entry names, versions and times.",
            shouldDisplay: false)

        @Argument(help: "The vault file git hands over.")
        var file: String

        func run(in context: CommandContext) async throws -> Int32 {
            let path = context.environment.path(file)
            let file: VaultFile
            do {
                file = try VaultFile.parse(try FileSystem.read(path))
            } catch let error as VaultFormatError {
                // git shows whatever this prints; a diff must not fail on one odd revision.
                context.stdout.write("# not a readable secretctl vault: \(error)\n")
                return 0
            }
            var contents: VaultContents?
            var note: String?
            do {
                let dataKey = try KeyResolver(environment: context.environment, prompter: NoPrompter())
                    .dataKey(for: file.header, vaultPath: path, allowPrompt: false)
                contents = try VaultCrypto.open(file, dataKey: dataKey)
            } catch let error as VaultFormatError {
                note = "# (entries not shown: \(error))\n"
            } catch let error as SecretctlError where error.code == .noKey {
                contents = nil
            } catch let error as SecretctlError {
                // A damaged unlocker or an unusable identity file: git diff still gets the header.
                note = "# (entries not shown: \(error.message))\n"
            }
            context.stdout.write(VaultTextConversion.text(file, contents: contents, time: TimeFormat.rfc3339))
            if let note { context.stdout.write(note) }
            return 0
        }
    }

    struct Merge: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "git's merge driver: merge three versions of a vault entry by entry.",
            discussion: """
                Called by git as 'secretctl git merge %O %A %B %P'. Writes the merged vault over \
                OURS (re-encrypted, atomically) and exits 0; when both sides changed the same entry \
                differently, names the entries, leaves OURS untouched and exits 1.
                """,
            shouldDisplay: false)

        @Argument(help: "The common ancestor's version (%O).")
        var base: String
        @Argument(help: "Our version (%A); the result is written here.")
        var ours: String
        @Argument(help: "Their version (%B).")
        var theirs: String
        @Argument(help: "The path in the repository (%P), for messages.")
        var path: String?

        func run(in context: CommandContext) async throws -> Int32 {
            let environment = context.environment
            let shown = path ?? ours
            let oursStore = VaultStore(path: environment.path(ours), environment: environment, prompter: context.prompter)
            let ourVault = try oursStore.open()

            func open(_ file: String) throws(SecretctlError) -> OpenedVault? {
                let store = VaultStore(path: environment.path(file), environment: environment, prompter: context.prompter)
                // git passes an empty file when there is no common ancestor.
                if file == base, FileSystem.exists(store.path), try FileSystem.read(store.path).isEmpty { return nil }
                let parsed = try store.readFile()
                // Usually the data key is unchanged: no second unlock (or passphrase prompt).
                if parsed.header.vaultID == ourVault.vaultID, let contents = try? VaultCrypto.open(parsed, dataKey: ourVault.dataKey) {
                    return OpenedVault(header: parsed.header, dataKey: ourVault.dataKey, contents: contents)
                }
                return try store.open()
            }
            let baseVault = try open(base)
            guard let theirVault = try open(theirs) else { throw SecretctlError(.noInput, "their version of \(shown) is empty") }
            guard theirVault.vaultID == ourVault.vaultID, baseVault.map({ $0.vaultID == ourVault.vaultID }) ?? true else {
                throw SecretctlError(.failure, "\(shown): the branches hold different vaults (different ids); kept ours",
                    hint: "pick one side with 'git checkout --ours/--theirs \(shown)' and copy values over with 'secretctl set'")
            }

            switch VaultMerge.merge(base: baseVault, ours: ourVault, theirs: theirVault) {
            case let .conflict(entries, unlockers):
                var reasons: [String] = []
                if !entries.isEmpty { reasons.append("both branches changed \(entries.joined(separator: ", ")) differently") }
                if unlockers { reasons.append("both branches changed who can unlock it (recipients, key files, passphrase)") }
                context.stderr.write("secretctl: error: merge conflict in \(shown): \(reasons.joined(separator: "; ")); kept our version\n")
                context.hint("set the right values with 'secretctl set NAME' (see theirs with 'git show MERGE_HEAD:\(shown)'), then 'git add \(shown)'")
                return SecretctlCore.ExitCode.failure.rawValue
            case let .merged(result):
                try oursStore.save(result)
                context.note("merged \(shown) entry by entry")
                return 0
            }
        }
    }
}
