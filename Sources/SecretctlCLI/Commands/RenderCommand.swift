import ArgumentParser
import SecretctlCore

extension SealedSecretScope: ExpressibleByArgument {}

struct RenderCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write the Secret manifest with the vault's values to stdout, for kubectl.",
        discussion: """
            Fills every key of every Secret in the template from the vault: values go under `data` \
            as base64 (keys listed under `stringData` move to `data`); name, namespace, labels, \
            annotations, type and immutable are kept. Documents of other kinds are left out. \
            Output is the same bytes for the same vault and template.

            Use it as: secretctl render | kubectl apply --server-side --field-manager=secretctl -f - \
            ('secretctl apply' does that, and removes the annotation a plain 'kubectl apply' leaves, \
            which holds every value again).

            Refuses, printing nothing, when the vault lacks a key (all are named), when the \
            template holds a value, when a key name is invalid, or when a Secret is over 1 MiB. \
            Keys named in the template annotation secretctl/optional-keys are left out when the \
            vault does not have them.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: RenderOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: "yaml or json.")
    var format: ManifestFormat = .yaml

    // Sealed output (issue 5): a SealedSecret the sealed-secrets controller decrypts in the cluster.
    @Flag(help: "Write bitnami.com/v1alpha1 SealedSecrets, every value sealed for the controller's certificate (safe to commit).")
    var sealed = false

    @Option(help: ArgumentHelp("With --sealed: the controller's certificate (PEM, from 'kubeseal --fetch-cert').", valueName: "path"))
    var cert: String?

    @Option(help: ArgumentHelp("With --sealed: strict (this name and namespace), namespace-wide or cluster-wide.", valueName: "scope"))
    var scope: SealedSecretScope = .strict

    func validate() throws {
        if sealed {
            guard cert != nil else { throw ValidationError("--sealed needs --cert PATH (the controller's certificate, from 'kubeseal --fetch-cert')") }
            guard format == .yaml else { throw ValidationError("--sealed writes YAML only") }
        } else if cert != nil || scope != .strict {
            throw ValidationError("--cert and --scope go with --sealed")
        }
    }

    func run(in context: CommandContext) async throws -> Int32 {
        let store = try global.store(context)
        let vault = try store.open()
        let secrets = try source.render(vault.contents, context)
        if sealed, let cert {
            let certificate = try SealedSecretWriter.certificate(at: context.environment.path(cert))
            context.stdout.write(try SealedSecretWriter.write(secrets, certificate: certificate, scope: scope))
            return 0
        }
        let manifest = ManifestWriter.write(secrets, as: format)
        if context.stdout.isTerminal {
            context.warn("the manifest holds the values (base64 is not encryption); they stay in this terminal's scrollback")
        }
        context.stdout.write(manifest)
        return 0
    }
}
