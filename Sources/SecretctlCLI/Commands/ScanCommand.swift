#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SecretctlCore

struct ScanCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find the vault's real values in files, staged changes or git history, in any common encoding.",
        discussion: """
            Searches for every current and kept previous value of every entry in every secrets/*.vault that opens without a prompt, as: raw; base64 and base64url (padded, unpadded, and inside a longer base64 blob at any alignment, also when wrapped); percent-encoded; hex; JSON/YAML string escapes. Values under 8 bytes are skipped. One streaming pass over each input; binary files are scanned too.

            Without PATH: the git work tree's tracked files and untracked files git does not ignore. --staged: what the next commit would add (the index, not the work tree). --history: every blob reachable from any ref. --stdin: standard input.

            Prints `path:line: NAME (form)`, never a value or a hash of one.

            Exit status: 0 clean, 1 found, 64 usage, 66 no vault, 77 no vault opens without a prompt, other codes for other errors.
            """)

    @Argument(help: "Files or folders to scan (default: the git work tree).")
    var paths: [String] = []

    @Flag(help: "Scan what is staged for the next commit.")
    var staged = false

    @Flag(help: "Scan every blob reachable from any ref (git rev-list --objects --all).")
    var history = false

    @Flag(help: "Scan standard input.")
    var stdin = false

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Skip files and blobs larger than this (bytes, or with K, M, G).")
    var maxFileSize: String = "50M"

    @Option(help: "Only the vault of this environment (repeat for several; default: every secrets/*.vault).")
    var env: [String] = []

    @Option(help: "Also use this vault file (repeatable).")
    var vault: [String] = []

    @Flag(help: "When no vault can be unlocked without a prompt, warn and exit 0 instead of 77 (for hooks).")
    var allowLocked = false

    @Flag(name: .shortAndLong, help: "Print nothing on stderr when clean, except warnings.")
    var quiet = false

    func validate() throws {
        let modes = [staged, history, stdin, !paths.isEmpty].filter { $0 }.count
        guard modes <= 1 else { throw ValidationError("choose one of PATH..., --staged, --history and --stdin") }
        guard ByteSize.parse(maxFileSize) != nil else {
            throw ValidationError("--max-file-size takes a size such as 50M, 512K or 1048576")
        }
    }

    func run(in context: CommandContext) async throws -> Int32 {
        guard let loaded = try loadNeedlesUnlessLocked(context) else { return 0 }
        let needles = loaded.needles
        let scanner = LeakScanner(
            needles: needles, environment: context.environment, maximumFileSize: ByteSize.parse(maxFileSize) ?? LeakScanner.defaultMaximumFileSize)
        let directory = context.environment.workingDirectory
        var report: ScanReport
        if needles.isEmpty {
            report = ScanReport()
        } else if staged {
            report = try await scanner.scanStaged(from: directory)
        } else if history {
            report = try await scanner.scanHistory(from: directory)
        } else if stdin {
            report = try scanStandardInput(scanner, context.stdin)
        } else if !paths.isEmpty {
            report = try await scanner.scanPaths(paths, workingDirectory: directory)
        } else {
            report = try await scanner.scanWorkTree(from: directory)
        }
        let showEnvironment = Set(report.findings.map(\.owner.environment)).count > 1 || loaded.opened.count > 1
        if json {
            context.stdout.write(Self.json(report, loaded: loaded) + "\n")
        } else {
            var text = ""
            for finding in report.findings {
                text += "\(finding.location): \(finding.name) (\(finding.formDescription(showEnvironment: showEnvironment)))\n"
            }
            context.stdout.write(text)
        }
        summarize(report, loaded: loaded, context: context)
        return report.isClean ? 0 : 1
    }

    // MARK: - Needles

    /// The needles, or nil (after a warning) when `--allow-locked` lets a locked vault pass.
    private func loadNeedlesUnlessLocked(_ context: CommandContext) throws(SecretctlError) -> VaultNeedleLoader.Loaded? {
        do {
            return try loadNeedles(context)
        } catch {
            guard allowLocked, error.code == .noKey || error.code == .noInput else { throw error }
            context.warn("\(error.message); nothing was scanned (--allow-locked)")
            if let hint = error.hint { context.hint(hint) }
            return nil
        }
    }

    private func loadNeedles(_ context: CommandContext) throws(SecretctlError) -> VaultNeedleLoader.Loaded {
        let loader = VaultNeedleLoader(environment: context.environment, prompter: context.prompter)
        let locator = ProjectLocator(environment: context.environment)
        var vaults: [VaultNeedleLoader.Vault] = []
        for name in env {
            try ProjectLocator.validateEnvironmentName(name)
            vaults.append(.init(environment: name, path: Path.join(Path.join(locator.projectRoot, "secrets"), "\(name).vault")))
        }
        for path in vault {
            let absolute = context.environment.path(path)
            var name = Path.lastComponent(absolute)
            if name.hasSuffix(".vault") { name = String(name.dropLast(6)) }
            vaults.append(.init(environment: name, path: absolute))
        }
        if vaults.isEmpty { vaults = loader.discover(projectRoot: locator.projectRoot) }
        guard !vaults.isEmpty else {
            throw SecretctlError(.noInput, "no vault to take values from: \(Path.join(locator.projectRoot, "secrets")) has no *.vault file",
                hint: "run scan inside the project, or name a vault with --vault FILE")
        }
        for vault in vaults where !FileSystem.exists(vault.path) {
            throw SecretctlError(.noInput, "no vault at \(vault.path)")
        }
        let loaded = loader.load(vaults)
        guard !loaded.opened.isEmpty else {
            let reasons = loaded.skipped.map { "\($0.vault.environment): \($0.error.message)" }.joined(separator: "; ")
            // Blame the key only when a key is what is missing: a damaged vault needs restoring instead.
            if let other = loaded.skipped.first(where: { $0.error.code != .noKey })?.error {
                throw SecretctlError(other.code, "no vault could be opened, so there is nothing to search for (\(reasons))",
                    hint: other.hint ?? "restore the vault from git or a backup")
            }
            throw SecretctlError(.noKey, "no vault could be unlocked without a prompt, so there is nothing to search for (\(reasons))",
                hint: "set SECRETCTL_KEY, SECRETCTL_KEY_FILE or SECRETCTL_PASSPHRASE, or restore the key file")
        }
        for skipped in loaded.skipped where !quiet || skipped.error.code != .noKey {
            context.note("left out the \(skipped.vault.environment) vault: \(skipped.error.message)")
        }
        if loaded.needles.skippedShortValues > 0, !quiet {
            let count = loaded.needles.skippedShortValues
            context.note("skipped \(count) \(count == 1 ? "value" : "values") shorter than \(NeedleSetBuilder.minimumValueLength) bytes (too short to search for without false alarms)")
        }
        return loaded
    }

    // MARK: - Reading stdin

    private func scanStandardInput(_ scanner: LeakScanner, _ input: InputSource) throws(SecretctlError) -> ScanReport {
        switch input {
        case let .fileDescriptor(fd):
            return try scanner.scanStream(name: "-") { (buffer) throws(SecretctlError) in
                while true {
                    let count = read(fd, buffer.baseAddress, buffer.count)
                    if count >= 0 { return count }
                    if errno == EINTR { continue }
                    throw SecretctlError(.failure, "cannot read standard input: \(FileSystem.errorText())")
                }
            }
        case let .bytes(bytes, _):
            var offset = 0
            return try scanner.scanStream(name: "-") { buffer in
                let count = min(buffer.count, bytes.count - offset)
                bytes.withUnsafeBytes { source in
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
                }
                offset += count
                return count
            }
        }
    }

    // MARK: - Output

    private func summarize(_ report: ScanReport, loaded: VaultNeedleLoader.Loaded, context: CommandContext) {
        for skipped in report.skipped { context.note("skipped \(skipped.path): \(skipped.reason)") }
        for path in report.truncated { context.note("\(path) has more matches than were listed") }
        let environments = loaded.opened.map(\.environment).joined(separator: ", ")
        let values = loaded.needles.valueCount
        let scanned = "\(report.scannedCount) \(report.scannedCount == 1 ? "input" : "inputs") (\(ByteSize.describe(report.scannedBytes)))"
        if report.isClean {
            if !json, !quiet { context.note("clean: no value of the \(environments) \(loaded.opened.count == 1 ? "vault" : "vaults") (\(values) \(values == 1 ? "value" : "values")) in \(scanned)") }
            return
        }
        let names = Set(report.findings.map(\.name)).sorted()
        let places = Set(report.findings.map { ($0.commit ?? "") + ":" + $0.path }).count
        context.stderr.write("secretctl: error: found \(report.findings.count) \(report.findings.count == 1 ? "place" : "places") holding a secret value (\(names.joined(separator: ", "))) in \(places) \(places == 1 ? "file" : "files")\n")
        // Each name gets a step that works: 'rotate' only for entries with a recipe.
        let steps = names.map { loaded.nextSteps[$0] ?? "secretctl rotate \($0)" }
        let rotate = names.count == 1 ? steps[0] : zip(names, steps).map { "\($0): \($1)" }.joined(separator: "; ")
        if staged {
            context.hint("remove the value from the file (read it from the environment or from 'secretctl render' at deploy time), 'git add' the file again and commit; if the value was ever pushed or shared, rotate it: \(rotate)")
        } else if history {
            context.hint("these values are in git history: rotate each one now (\(rotate)); rewriting history does not unpublish a pushed value")
        } else {
            context.hint("remove each value from the file it is in; if that file was ever committed or pushed, rotate the value: \(rotate)")
        }
    }

    private static func json(_ report: ScanReport, loaded: VaultNeedleLoader.Loaded) -> String {
        let findings = report.findings.map { finding in
            "{\"path\":\(JSONText.quote(finding.path)),\"line\":\(finding.line),"
                + "\"commit\":\(finding.commit.map(JSONText.quote) ?? "null"),"
                + "\"name\":\(JSONText.quote(finding.name)),\"environment\":\(JSONText.quote(finding.owner.environment)),"
                + "\"version\":\(finding.owner.version),\"current\":\(finding.owner.isCurrent),"
                + "\"form\":\(JSONText.quote(finding.owner.form.identifier)),\"formLabel\":\(JSONText.quote(finding.owner.form.label)),"
                + "\"wrapped\":\(finding.wrapped),\"partial\":\(finding.owner.isPartial)}"
        }
        let skipped = report.skipped.map { "{\"path\":\(JSONText.quote($0.path)),\"reason\":\(JSONText.quote($0.reason))}" }
        let vaultsSkipped = loaded.skipped.map {
            "{\"environment\":\(JSONText.quote($0.vault.environment)),\"reason\":\(JSONText.quote($0.error.message))}"
        }
        return "{\"clean\":\(report.isClean),\"findings\":[\(findings.joined(separator: ","))],"
            + "\"scanned\":{\"inputs\":\(report.scannedCount),\"bytes\":\(report.scannedBytes)},"
            + "\"skipped\":[\(skipped.joined(separator: ","))],\"truncated\":[\(report.truncated.map(JSONText.quote).joined(separator: ","))],"
            + "\"vaults\":{\"used\":[\(loaded.opened.map { JSONText.quote($0.environment) }.joined(separator: ","))],\"skipped\":[\(vaultsSkipped.joined(separator: ","))]},"
            + "\"values\":\(loaded.needles.valueCount),\"skippedShortValues\":\(loaded.needles.skippedShortValues)}"
    }
}
