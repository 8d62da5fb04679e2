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
    /// The command runs as a task on the global executor while the main thread
    /// parks. An `async` main would end the main thread in `dispatch_main`,
    /// whose `pthread_exit` unwinds it: in a static executable the first unwind
    /// sorts every frame description of the binary, about 40 ms of CPU on
    /// every run.
    public static func main() -> Never {
        ProcessHardening.disableCoreDumps()
        let arguments = Array(CommandLine.arguments.dropFirst())
        Task.detached {
            exit(await run(arguments: arguments, context: .live()))
        }
        while true { pause() }
    }

    /// Runs one command line in-process and returns its exit code.
    package static func run(arguments: [String], context: CommandContext) async -> Int32 {
        // ArgumentParser answers `help NOSUCH` with the main help and exit 0, which reads as
        // success to a script and hides the typo from a person.
        if arguments.first == "help", !isHelpTopic(Array(arguments.dropFirst())) {
            context.stderr.write("secretctl: error: there is no command by that name to show help for\n")
            context.hint("'secretctl --help' lists the commands")
            return ExitCode.usage.rawValue
        }
        let command: any ParsableCommand
        do {
            command = try Secretctl.parseAsRoot(arguments)
        } catch {
            return report(parseError: error, arguments: arguments, context: context)
        }
        guard let runnable = command as? any ContextCommand else {
            if !type(of: command).configuration.subcommands.isEmpty {
                // `secretctl` alone, or a command group without a subcommand: usage on stderr.
                context.stderr.write(Secretctl.helpMessage(for: type(of: command)) + "\n")
                return ExitCode.usage.rawValue
            }
            // ArgumentParser's own commands (`help CMD`) finish by throwing CleanExit.
            do {
                var command = command
                try command.run()
                return 0
            } catch {
                return report(parseError: error, arguments: arguments, context: context)
            }
        }
        do {
            return try await runnable.run(in: context)
        } catch let error as SecretctlError {
            context.stderr.write("secretctl: error: \(error.message)\n")
            if let hint = error.hint { context.hint(hint) }
            return error.code.rawValue
        } catch {
            return report(parseError: error, arguments: arguments, context: context)
        }
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
