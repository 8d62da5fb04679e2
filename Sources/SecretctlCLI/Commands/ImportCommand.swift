import ArgumentParser
import SecretctlCore
import SecretctlCrypto

extension ImportFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

struct ImportCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Take the values of a Kubernetes Secret manifest or a dotenv file into the vault.",
        discussion: """
            The format is detected from the content (or given with --format):
              secret  YAML or JSON with one or more kind: Secret documents (or a kind: List);
                      data values are decoded from base64 (strictly), stringData taken as is.
              env     NAME=value lines; 'export ' prefix, # comments, blank lines and CRLF are
                      fine. Unquoted values end at ' #'. 'single quotes' are literal.
                      "double quotes" understand \\n \\r \\t \\" \\\\ \\$ and may span lines.
                      ${VAR} is not expanded.
            All values are stored in one locked update, or none is. Existing entries with a \
            different value are refused unless --force (their old values stay in history). \
            The names taken are listed on stderr; values are never printed. \
            A problem with the file (syntax, names, sizes, empty values) exits 64 and names the \
            line or key, never its text. FILE '-' reads standard input.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The manifest or dotenv file; '-' for standard input.")
    var file: String

    @Option(help: "secret or env (default: detected from the content).")
    var format: ImportFormat?

    @Flag(help: "Replace existing entries whose value differs (the old values stay in history).")
    var force = false

    @Flag(help: "Allow empty values.")
    var allowEmpty = false

    func run(in context: CommandContext) async throws -> Int32 {
        let fromStdin = file == "-"
        let path = fromStdin ? nil : context.environment.path(file)
        let source = path ?? "standard input"
        let input: SecureBytes
        if let path {
            if FileSystem.isDirectory(path) { throw SecretctlError(.usage, "\(path) is a folder, not a file") }
            input = try FileSystem.readSecret(path, limit: ImportReader.maximumFileSize)
        } else {
            guard !context.stdin.isTerminal else {
                throw SecretctlError(.usage, "standard input is a terminal: values typed there would be echoed",
                    hint: "pipe the file in ('... | secretctl import -') or pass its path")
            }
            input = try context.stdin.readAll(limit: ImportReader.maximumFileSize)
        }
        let read = try ImportReader.read(input, source: source, format: format, allowEmpty: allowEmpty)
        let entries = read.entries

        let store = try global.store(context)
        let outcomes = try store.update { (vault) throws(SecretctlError) -> [String] in
            let changed = entries.filter { entry in vault.contents[entry.name].map { !$0.current.value.equals(entry.value) } ?? false }
            if !changed.isEmpty, !force {
                let names = changed.map(\.name).joined(separator: ", ")
                throw SecretctlError(.failure, "\(names) already \(changed.count == 1 ? "exists" : "exist") in \(store.path) with a different value; nothing was imported",
                    hint: "pass --force to replace \(changed.count == 1 ? "it" : "them") (the old values stay in history)")
            }
            let added = entries.filter { vault.contents[$0.name] == nil }.count
            guard vault.contents.count + added <= VaultContents.maximumEntries else {
                throw SecretctlError(.failure, "the vault would hold more than \(VaultContents.maximumEntries) entries; nothing was imported")
            }
            let now = context.clock()
            return entries.map { entry in
                if let existing = vault.contents[entry.name], existing.current.value.equals(entry.value) {
                    return "\(entry.name) (unchanged, v\(existing.current.number))"
                }
                let replaced = vault.contents[entry.name] != nil
                VaultEditor.set(&vault.contents, name: entry.name, value: entry.value, recipe: nil, keepRecipe: false, now: now)
                let version = vault.contents[entry.name]!.current.number
                return replaced ? "\(entry.name) (v\(version), replaced)" : "\(entry.name) (v\(version))"
            }
        }

        for outcome in outcomes { context.note("imported \(outcome)") }
        context.note("imported \(entries.count) \(entries.count == 1 ? "entry" : "entries") from \(source) into \(store.path)")
        if !read.skippedKinds.isEmpty {
            context.note("skipped \(read.skippedKinds.count) \(read.skippedKinds.count == 1 ? "document that is" : "documents that are") not a Secret (\(read.skippedKinds.joined(separator: ", ")))")
        }
        warnAboutNames(entries, format: read.format, context: context)
        if let path { await warnAboutGit(path, context: context) }
        return 0
    }

    private func warnAboutNames(_ entries: [ImportedEntry], format: ImportFormat, context: CommandContext) {
        let notVariables = entries.map(\.name).filter { !EntryName.isEnvironmentVariableName($0) }
        if !notVariables.isEmpty {
            context.warn("\(notVariables.joined(separator: ", ")) \(notVariables.count == 1 ? "is not a valid environment variable name" : "are not valid environment variable names"): envFrom and 'secretctl exec' skip \(notVariables.count == 1 ? "it" : "them")")
        }
        if format == .env {
            let interpolated = entries.filter { DotenvWriter.needsInterpolationWarning($0.value) }.map(\.name)
            if !interpolated.isEmpty {
                context.warn("\(interpolated.joined(separator: ", ")) \(interpolated.count == 1 ? "contains" : "contain") '${': stored literally; python-dotenv and docker compose would have expanded it")
            }
        }
    }

    private func warnAboutGit(_ path: String, context: CommandContext) async {
        switch await GitTracking.status(of: path) {
        case .tracked:
            context.warn("\(path) is tracked by git: its values are in the repository's history; rotate every one of them")
            context.hint("delete it from the repository and the disk: git rm \(Path.lastComponent(path)) (run in its folder), then add it to .gitignore")
        case let .inHistory(commit):
            context.warn("\(path) was committed to git before (commit \(commit)): its values are in the repository's history; rotate every one of them")
            context.hint("delete the plaintext file now that the values are in the vault: rm \(path)")
        case .untracked:
            context.hint("delete the plaintext file now that the values are in the vault: rm \(path)")
        }
    }
}
