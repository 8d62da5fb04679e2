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
            let ourVault = try oursStore.openUnchecked()

            func open(_ file: String) throws(SecretctlError) -> OpenedVault? {
                let store = VaultStore(path: environment.path(file), environment: environment, prompter: context.prompter)
                // git passes an empty file when there is no common ancestor.
                if file == base, FileSystem.exists(store.path), try FileSystem.read(store.path).isEmpty { return nil }
                let parsed = try store.readFile()
                // Usually the data key is unchanged: no second unlock (or passphrase prompt).
                if parsed.header.vaultID == ourVault.vaultID, let contents = try? VaultCrypto.open(parsed, dataKey: ourVault.dataKey) {
                    return OpenedVault(header: parsed.header, dataKey: ourVault.dataKey, contents: contents)
                }
                // Its key is weighed below, against this machine's memory and the other versions.
                return try store.openUnchecked()
            }
            let baseVault = try open(base)
            guard let theirVault = try open(theirs) else { throw SecretctlError(.noInput, "their version of \(shown) is empty") }
            guard theirVault.vaultID == ourVault.vaultID, baseVault.map({ $0.vaultID == ourVault.vaultID }) ?? true else {
                throw SecretctlError(.failure, "\(shown): the branches hold different vaults (different ids); kept ours",
                    hint: "pick one side with 'git checkout --ours/--theirs \(shown)' and copy values over with 'secretctl set'")
            }

            // Whose data key may the result be sealed under, and whose entries taken? Ours must
            // be one this machine accepted (or the first it sees); theirs must be ours, the common
            // ancestor's, one accepted here, or carry proof from one of those. A vault forged by
            // someone who is not a recipient (a new data key wrapped to every recipient line) has
            // none of these, and merging it would hand them every value added since.
            let remembered = oursStore.keyMemory.known(vaultID: ourVault.vaultID)
            if try KeyMemory.verdict(ourVault.header, dataKey: ourVault.dataKey, known: remembered) == .unproven {
                throw KeyMemory.unprovenError(vaultPath: shown, trustCommand: "secretctl trust --vault \(shown)")
            }
            var sides: [SecureBytes] = []
            for vault in [ourVault] + (baseVault.map { [$0] } ?? []) {
                sides.append(try KeyMemory.check(dataKey: vault.dataKey, vaultID: vault.vaultID))
            }
            let anchors = sides + (remembered.last.map { [$0] } ?? [])
            if try KeyMemory.verdict(theirVault.header, dataKey: theirVault.dataKey, known: remembered + sides, anchors: anchors) == .unproven {
                let name = Path.lastComponent(shown)
                context.stderr.write("secretctl: error: merge conflict in \(shown): their version has a new data key that no key "
                    + "this machine accepted vouches for (someone who is not a recipient can commit such a vault); kept our version, adopted nothing\n")
                context.hint("if a teammate re-keyed it on purpose and you checked with them: 'git show MERGE_HEAD:\(shown) > /tmp/\(name)', "
                    + "'secretctl trust --vault /tmp/\(name)', then merge again; otherwise do not merge that commit")
                return SecretctlCore.ExitCode.failure.rawValue
            }
            if let name = path.flatMap(VaultStore.environmentName(ofPath:)), let bound = theirVault.header.environment, bound != name {
                context.stderr.write("secretctl: error: merge conflict in \(shown): their version belongs to environment \(bound), not \(name); kept our version\n")
                context.hint("if the environment was renamed on purpose, merge the rename first, then 'secretctl bind --env \(name)'")
                return SecretctlCore.ExitCode.failure.rawValue
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
                oursStore.remember(result)
                context.note("merged \(shown) entry by entry")
                return 0
            }
        }
    }
}
