import ArgumentParser

/// A root whose only subcommand is `Command`, for parsing a line that names it
/// (`SecretctlMain.parseCommand`).
///
/// Parsing `[name, arguments...]` with this root follows the same steps as with `Secretctl`
/// (the root takes no arguments, then the name selects the subcommand), over a tree of one
/// command instead of all of them. The super-command name marks the root as a pseudo-command,
/// which is what makes ArgumentParser skip its `--generate-completion-script` parse; lines
/// that ask for completion scripts never come here.
struct SingleCommandRoot<Command: ParsableCommand>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "secretctl", _superCommandName: "secretctl", subcommands: [Command.self])
    }

    init() {}

    /// Never called: parsing selects `Command`, which `SecretctlMain` runs.
    func run() throws {
        throw CleanExit.message("internal error: the root of a single-command parse was run")
    }
}
