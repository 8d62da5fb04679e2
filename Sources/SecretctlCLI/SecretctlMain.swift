#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SecretctlCrypto
import SecretctlCore

/// Entry point: parse, run against a context, map every failure to an exit code.
public enum SecretctlMain {
    /// Runs the process and exits with the command's code.
    ///
    /// A command that never awaits (`SynchronousCommand`: get, list, render, set, ...) runs
    /// right here on the main thread: no task, no worker threads, and the main thread's heap
    /// arena instead of a fresh one grown a page at a time. Any other command runs as a task
    /// on the global executor while the main thread parks. An `async` main would end the main
    /// thread in `dispatch_main`, whose `pthread_exit` unwinds it: in a static executable the
    /// first unwind sorts every frame description of the binary, about 40 ms of CPU on every
    /// run.
    public static func main() -> Never {
        ProcessHardening.disableCoreDumps()
        OpenSSLLibrary.initialize()
        let arguments = Array(CommandLine.arguments.dropFirst())
        let context = CommandContext.live()
        switch parse(arguments: arguments, context: context) {
        case let .finished(code):
            exit(code)
        case let .synchronous(command):
            exit(runSynchronously(command, arguments: arguments, context: context))
        case let .asynchronous(command):
            Task.detached {
                exit(await run(command, arguments: arguments, context: context))
            }
            while true { pause() }
        }
    }

    /// Runs one command line in-process and returns its exit code.
    package static func run(arguments: [String], context: CommandContext) async -> Int32 {
        switch parse(arguments: arguments, context: context) {
        case let .finished(code): code
        case let .synchronous(command): runSynchronously(command, arguments: arguments, context: context)
        case let .asynchronous(command): await run(command, arguments: arguments, context: context)
        }
    }

    // MARK: - Parsing

    /// What a command line turned into.
    private enum Parsed {
        /// Usage, help, version or a parse error, already written; the exit code.
        case finished(Int32)
        case synchronous(any SynchronousCommand)
        case asynchronous(any ContextCommand)
    }

    private static func parse(arguments: [String], context: CommandContext) -> Parsed {
        // ArgumentParser answers `help NOSUCH` with the main help and exit 0, which reads as
        // success to a script and hides the typo from a person.
        if arguments.first == "help", !isHelpTopic(Array(arguments.dropFirst())) {
            context.stderr.write("secretctl: error: there is no command by that name to show help for\n")
            context.hint("'secretctl --help' lists the commands")
            return .finished(ExitCode.usage.rawValue)
        }
        if let command = PlainLineParser.command(arguments) { return .synchronous(command) }
        if arguments == ["--version"] {
            // What ArgumentParser prints for it, without building the command tree first.
            context.stdout.write(Secretctl.configuration.version + "\n")
            return .finished(0)
        }
        let command: any ParsableCommand
        do {
            command = try parseCommand(arguments)
        } catch {
            return .finished(report(parseError: error, arguments: arguments, context: context))
        }
        if let command = command as? any SynchronousCommand { return .synchronous(command) }
        if let command = command as? any ContextCommand { return .asynchronous(command) }
        if !type(of: command).configuration.subcommands.isEmpty {
            // `secretctl` alone, or a command group without a subcommand: usage on stderr.
            context.stderr.write(Secretctl.helpMessage(for: type(of: command)) + "\n")
            return .finished(ExitCode.usage.rawValue)
        }
        // ArgumentParser's own commands (`help CMD`) finish by throwing CleanExit.
        do {
            var command = command
            try command.run()
            return .finished(0)
        } catch {
            return .finished(report(parseError: error, arguments: arguments, context: context))
        }
    }

    /// Parses with the whole command tree only when the short way does not apply.
    ///
    /// `Secretctl.parseAsRoot` builds the tree of every command and first parses the line as
    /// a `--generate-completion-script` request: about two thirds of the instructions of
    /// `secretctl --version`, on every run. When the first argument names a subcommand and
    /// nothing on the line is for the root (help, version, completion scripts), the same
    /// parse over a tree holding only that subcommand gives the same command. Anything
    /// else, and any line that fails, goes the whole way, so errors, help and usage text
    /// are exactly the root's.
    static func parseCommand(_ arguments: [String]) throws -> any ParsableCommand {
        if let name = arguments.first, !arguments.contains(where: isForTheRoot),
            let subcommand = Secretctl.configuration.subcommands.first(where: { $0.configuration.commandName == name }),
            let command = try? parseAlone(subcommand, arguments),
            ObjectIdentifier(type(of: command)) == ObjectIdentifier(subcommand)
        {
            return command
        }
        return try Secretctl.parseAsRoot(arguments)
    }

    private static func parseAlone<Command: ParsableCommand>(_: Command.Type, _ arguments: [String]) throws -> any ParsableCommand {
        try SingleCommandRoot<Command>.parseAsRoot(arguments)
    }

    /// Arguments the root (or ArgumentParser itself) answers: they take the whole tree.
    private static func isForTheRoot(_ argument: String) -> Bool {
        argument == "-h" || argument == "-help" || argument == "--help" || argument == "help" || argument == "--version"
            || argument.hasPrefix("--generate-completion-script") || argument.hasPrefix("--experimental-")
    }

    // MARK: - Running

    private static func runSynchronously(_ command: any SynchronousCommand, arguments: [String], context: CommandContext) -> Int32 {
        do {
            return try command.runSynchronously(in: context)
        } catch {
            return report(runError: error, arguments: arguments, context: context)
        }
    }

    private static func run(_ command: any ContextCommand, arguments: [String], context: CommandContext) async -> Int32 {
        do {
            return try await command.run(in: context)
        } catch {
            return report(runError: error, arguments: arguments, context: context)
        }
    }

    private static func report(runError error: any Error, arguments: [String], context: CommandContext) -> Int32 {
        if let error = error as? SecretctlError {
            context.stderr.write("secretctl: error: \(error.message)\n")
            if let hint = error.hint { context.hint(hint) }
            return error.code.rawValue
        }
        return report(parseError: error, arguments: arguments, context: context)
    }

    /// Whether `words` (what follows `help`) name a command, such as `passphrase add`.
    private static func isHelpTopic(_ words: [String]) -> Bool {
        var type: any ParsableCommand.Type = Secretctl.self
        for word in words where !word.hasPrefix("-") {
            guard let sub = type.configuration.subcommands.first(where: { $0._commandName == word }) else { return false }
            type = sub
        }
        return true
    }

    private static func report(parseError error: any Error, arguments: [String], context: CommandContext) -> Int32 {
        let code = Secretctl.exitCode(for: error).rawValue
        let message = Secretctl.fullMessage(for: error)
        if code == 0 {
            // --help and --version: results, so stdout.
            context.stdout.write(message.hasSuffix("\n") ? message : message + "\n")
            return 0
        }
        // An error may quote what was typed, and what was typed may be a value.
        let (redacted, hidSomething) = ArgumentRedaction.redact(message, arguments: arguments)
        let lines = redacted.split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines.first.map(String.init) ?? redacted
        let text = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
        context.stderr.write("secretctl: error: \(text)\n")
        let usage = lines.dropFirst().joined(separator: "\n").trimmingSpaces
        if !usage.isEmpty { context.stderr.write(usage + "\n") }
        if hidSomething { context.hint(EntryName.valueHint) }
        return code == 1 ? ExitCode.usage.rawValue : code
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
