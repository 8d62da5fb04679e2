/// A command that never awaits. `SecretctlMain` runs it on the main thread, without
/// starting the concurrency runtime's worker threads.
protocol SynchronousCommand: ContextCommand {
    /// Runs the command; the returned code is the process's exit code.
    func runSynchronously(in context: CommandContext) throws -> Int32
}

extension SynchronousCommand {
    func run(in context: CommandContext) async throws -> Int32 {
        try runSynchronously(in: context)
    }
}
