import ArgumentParser
import SecretctlCore
import SecretctlCrypto

/// `-f FILE|DIR|-` for `render` and `apply`: manifest streams instead of one template.
struct StreamOptions: ParsableArguments {
    @Option(
        name: [.customShort("f"), .customLong("filename")],
        help: ArgumentHelp(
            "Manifests to fill: a file, a folder (its .yaml, .yml and .json files, as kubectl reads them) or - for stdin. Repeatable.",
            valueName: "file|dir|-"))
    var files: [String] = []

    init() {}

    var isStream: Bool { !files.isEmpty }

    /// Refuses options that belong to the one-template form.
    func validate(with source: RenderOptions) throws {
        guard isStream else { return }
        if source.template != nil { throw ValidationError("-f and --template do not go together: a template is one of the files") }
        if source.all { throw ValidationError("-f and --all do not go together") }
    }

    /// Reads every source, and fills the Secrets that refer to the vault. The vault is opened
    /// only when some Secret needs it, so a stream without references needs no key.
    func render(
        global: GlobalOptions, namespace: String?, context: CommandContext
    ) throws(SecretctlError) -> RenderedStream {
        let stream = try ManifestStream.read(
            files.map { $0 == "-" ? .standardInput : .path($0) },
            workingDirectory: { context.environment.path($0) },
            standardInput: { () throws(SecretctlError) in try context.stdin.readAll(limit: ManifestStream.sizeLimit) })
        let contents = stream.documents.contains { $0.secret != nil } ? try global.store(context).open().contents : VaultContents()
        return try stream.render(contents, namespace: namespace)
    }
}
