#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SecretctlCrypto
package import SecretctlCore

/// Entry point: parse, run against a context, map every failure to an exit code.
public enum SecretctlMain {
    /// Runs the process and exits with the command's code.
    public static func main() async {
        ProcessHardening.disableCoreDumps()
        let code = await run(arguments: Array(CommandLine.arguments.dropFirst()), context: .live())
        exit(code)
    }

    /// Runs one command line in-process and returns its exit code.
    package static func run(arguments: [String], context: CommandContext) async -> Int32 {
        let command: any ParsableCommand
        do {
            command = try Secretctl.parseAsRoot(arguments)
        } catch {
            return report(parseError: error, context: context)
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
                return report(parseError: error, context: context)
            }
        }
        do {
            return try await runnable.run(in: context)
        } catch let error as SecretctlError {
            context.stderr.write("secretctl: error: \(error.message)\n")
            if let hint = error.hint { context.hint(hint) }
            return error.code.rawValue
        } catch {
            return report(parseError: error, context: context)
        }
    }

    private static func report(parseError error: any Error, context: CommandContext) -> Int32 {
        let code = Secretctl.exitCode(for: error).rawValue
        let message = Secretctl.fullMessage(for: error)
        if code == 0 {
            // --help and --version: results, so stdout.
            context.stdout.write(message.hasSuffix("\n") ? message : message + "\n")
            return 0
        }
        let first = message.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? message
        let text = first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
        context.stderr.write("secretctl: error: \(text)\n")
        let usage = Secretctl.usageString(for: error)
        if !usage.isEmpty { context.stderr.write(usage + "\n") }
        return code == 1 ? ExitCode.usage.rawValue : code
    }
}

extension Secretctl {
    fileprivate static func usageString(for error: any Error) -> String {
        let message = fullMessage(for: error)
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.dropFirst().joined(separator: "\n").trimmingSpaces
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
