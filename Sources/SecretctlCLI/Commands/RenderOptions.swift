import ArgumentParser
import SecretctlCore

extension ManifestFormat: ExpressibleByArgument {}

/// Where `render`, `apply`, `diff` and `rotate --apply` take their Secrets from.
struct RenderOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The Secret template (default: k8s/secret.yaml under the project root).", valueName: "path"))
    var template: String?

    @Flag(help: "Render every vault entry into one Secret, without a template (needs --name).")
    var all = false

    @Option(help: ArgumentHelp("The Secret's name with --all.", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Put the Secrets in this namespace (overrides the template's; also passed to kubectl).", valueName: "namespace"))
    var namespace: String?

    init() {}

    func validate() throws {
        if all {
            guard name != nil else { throw ValidationError("--all needs --name NAME for the Secret") }
            guard template == nil else { throw ValidationError("--all renders without a template; drop --template") }
        } else if name != nil {
            throw ValidationError("--name goes with --all; a template names its Secrets itself")
        }
    }

    func source(_ context: CommandContext) -> SecretSource {
        if all, let name { return .everything(name: name) }
        return .template(path: template.map { context.environment.path($0) } ?? SecretSource.defaultTemplatePath(context.environment))
    }

    /// Renders from `contents`, noting on stderr any template document left out.
    func render(_ contents: VaultContents, _ context: CommandContext) throws(SecretctlError) -> [RenderedSecret] {
        let source = source(context)
        let (secrets, skipped) = try source.render(contents, namespace: namespace)
        if !skipped.isEmpty {
            context.note("left out \(skipped.joined(separator: ", ")): only Secrets are rendered; apply the rest with kubectl")
        }
        return secrets
    }
}
