import ArgumentParser

/// A subcommand that runs against an injected `CommandContext`.
protocol ContextCommand: ParsableCommand {
    /// Runs the command; the returned code is the process's exit code.
    func run(in context: CommandContext) async throws -> Int32
}

extension ContextCommand {
    /// Never called: `SecretctlMain` dispatches through `run(in:)`.
    func run() throws {
        throw CleanExit.message("internal error: run(in:) was not used")
    }
}
