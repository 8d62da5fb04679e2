#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SecretctlCore

/// `secretctl guard install|uninstall|status`: the pre-commit hook that runs `scan --staged`.
struct GuardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "Install a git pre-commit hook that blocks commits holding a vault value.",
        discussion: """
            The hook runs 'secretctl scan --staged' and blocks the commit when a staged file holds a value of the vault in any form scan knows, naming the entry and the file. It goes in the repository's hooks folder (following core.hooksPath).

            An existing pre-commit hook is kept: it is moved to pre-commit.secretctl-chained and runs first; 'guard uninstall' puts it back. When no vault opens without a prompt, the hook warns and lets the commit through, unless it was installed with --strict.

            Teams using the pre-commit framework can use .pre-commit-hooks.yaml instead.
            """,
        subcommands: [Install.self, Uninstall.self, Status.self])

    struct Install: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "install", abstract: "Install (or refresh) the pre-commit hook; an existing hook is kept and chained.")

        @Flag(help: "Block commits when no vault can be unlocked without a prompt (default: warn and allow).")
        var strict = false

        @Option(help: "The secretctl executable the hook runs (default: this one, else secretctl on PATH).")
        var binary: String?

        func run(in context: CommandContext) async throws -> Int32 {
            let git = GitRunner(environment: context.environment)
            let (installer, repository) = try await GuardInstaller.forRepository(at: context.environment.workingDirectory, git: git)
            let executable = binary.map { context.environment.path($0) } ?? Self.currentExecutable()
            if let executable, access(executable, X_OK) != 0 {
                throw SecretctlError(.noInput, "\(executable) is not an executable file", hint: "pass the secretctl binary with --binary PATH")
            }
            let projectRoot = ProjectLocator(environment: context.environment).projectRoot
            let relative = Self.relative(projectRoot, to: repository.topLevel)
            let hook = GuardHook(executable: executable, strict: strict, projectDirectory: relative)
            let outcome = try installer.install(hook)
            switch outcome {
            case let .installed(chained):
                context.note("installed the guard hook at \(installer.hookPath)")
                if chained { context.note("the previous pre-commit hook was kept as \(installer.chainedPath) and runs first") }
            case let .updated(chained):
                context.note("the guard hook at \(installer.hookPath) was already installed; its settings are refreshed")
                if chained { context.note("it still runs \(installer.chainedPath) first") }
            }
            context.note("it runs \(executable ?? "secretctl (from PATH)") scan --staged\(strict ? ", and blocks commits when no vault can be unlocked (--strict)" : "")")
            return 0
        }

        /// This process's executable when it is secretctl (not a test runner).
        static func currentExecutable() -> String? {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            guard count > 0 else { return nil }
            let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return Path.lastComponent(path) == "secretctl" ? path : nil
        }

        static func relative(_ path: String, to top: String) -> String {
            let real = realpath(path, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? path
            if real == top { return "" }
            return real.hasPrefix(top + "/") ? String(real.dropFirst(top.count + 1)) : ""
        }
    }

    struct Uninstall: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "uninstall", abstract: "Remove the hook and put back the pre-commit hook it chained, if any.")

        func run(in context: CommandContext) async throws -> Int32 {
            let git = GitRunner(environment: context.environment)
            let (installer, _) = try await GuardInstaller.forRepository(at: context.environment.workingDirectory, git: git)
            switch try installer.uninstall() {
            case let .removed(restored):
                context.note("removed the guard hook from \(installer.hooksDirectory)")
                if restored { context.note("the previous pre-commit hook is back at \(installer.hookPath)") }
            case .notInstalled:
                context.note("the guard hook is not installed in \(installer.hooksDirectory); nothing changed")
            }
            return 0
        }
    }

    struct Status: ContextCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Say whether the hook is installed (exit 0) or not (exit 1).")

        func run(in context: CommandContext) async throws -> Int32 {
            let git = GitRunner(environment: context.environment)
            let (installer, _) = try await GuardInstaller.forRepository(at: context.environment.workingDirectory, git: git)
            switch installer.status() {
            case let .installed(hook, chained):
                var text = "installed at \(installer.hookPath): runs \(hook.executable ?? "secretctl (from PATH)") scan --staged"
                if hook.strict { text += ", strict" }
                if chained { text += "; chains \(installer.chainedPath)" }
                context.stdout.write(text + "\n")
                return 0
            case .otherHook:
                context.stdout.write("not installed: \(installer.hookPath) is another pre-commit hook\n")
                context.hint("'secretctl guard install' keeps it and runs it first")
                return 1
            case .notInstalled:
                context.stdout.write("not installed in \(installer.hooksDirectory)\n")
                context.hint("run 'secretctl guard install'")
                return 1
            }
        }
    }
}
