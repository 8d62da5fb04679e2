import ArgumentParser
import SecretctlCore

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Work on Secret templates (no vault, no values).",
        subcommands: [TemplateConvertCommand.self])
}

struct TemplateConvertCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Rewrite a template's empty values as references to vault entries, in place.",
        discussion: """
            'KEY: ""' becomes 'KEY: secretctl:KEY' ('secretctl:KEY?' for the keys the \
            secretctl/optional-keys annotation names; the annotation goes). A reference is not \
            valid base64, so the API server refuses a raw 'kubectl apply' of the template instead \
            of setting every value to "". Comments and layout are kept. It opens no vault and \
            reads or writes no value.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Templates to convert (default: k8s/secret.yaml under the project root).", valueName: "file"))
    var files: [String] = []

    func run(in context: CommandContext) async throws -> Int32 {
        let paths = files.isEmpty ? [SecretSource.defaultTemplatePath(context.environment)] : files.map { context.environment.path($0) }
        for path in paths {
            guard FileSystem.exists(path) else { throw SecretctlError(.noInput, "no template at \(path)") }
            let bytes = try FileSystem.read(path)
            guard let text = String(validating: bytes, as: UTF8.self) else { throw SecretctlError(.failure, "\(path) is not UTF-8 text") }
            let (converted, result) = try TemplateConversion.convert(text, path: path)
            guard !result.converted.isEmpty || result.removedAnnotation else {
                context.note("\(path) already uses references: nothing to convert")
                continue
            }
            try AtomicFile.write(Array(converted.utf8), to: path, mode: FileSystem.mode(path) ?? 0o644)
            var said = "converted \(path): \(result.converted.joined(separator: ", ")) now refer to the vault"
            if result.removedAnnotation { said += "; the \(SecretManifest.optionalKeysAnnotation) annotation became '?' references" }
            context.note(said)
        }
        return 0
    }
}
