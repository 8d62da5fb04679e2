import ArgumentParser

/// The root command: only configuration; the work happens in subcommands.
struct Secretctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secretctl",
        abstract: "Keep a Kubernetes app's secrets in an encrypted vault and render them only at apply time.",
        discussion: """
            Values are read from a no-echo prompt, a pipe or a file, never from the command line. \
            Errors go to stderr; stdout carries only what you asked for.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self,
            SetCommand.self,
            GetCommand.self,
            ListCommand.self,
            RemoveCommand.self,
            HistoryCommand.self,
            RollbackCommand.self,
            GenerateCommand.self,
            RotateCommand.self,
            PassphraseCommand.self,
            RekeyCommand.self,
            ForgetRetiredKeysCommand.self,
            TrustCommand.self,
            BindCommand.self,
            RenderCommand.self,
            ApplyCommand.self,
            DiffCommand.self,
            ImportCommand.self,
            ExportCommand.self,
            ExecCommand.self,
            KeygenCommand.self,
            RecipientsCommand.self,
            ScanCommand.self,
            GuardCommand.self,
            DoctorCommand.self,
            GitCommand.self,
            EnvironmentsCommand.self,
            TemplateCommand.self,
        ]
    )
}
