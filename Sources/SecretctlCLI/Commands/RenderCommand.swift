import ArgumentParser
import SecretctlCore

extension SealedSecretScope: ExpressibleByArgument {}

struct RenderCommand: SynchronousCommand {
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

            A template's data values are references to vault entries: 'KEY: secretctl:ENTRY' \
            ('secretctl:ENTRY?' when the key is optional). The old form, 'KEY: ""', still renders \
            (from the entry KEY); 'secretctl template convert' rewrites it. Refuses, printing \
            nothing, when the vault lacks an entry (all are named), when the template holds a \
            value, when a key name is invalid, or when a Secret is over 1 MiB.

            -f FILE|DIR|- (repeatable) renders manifest streams instead: every Secret that refers \
            to the vault is filled, every other document passes through byte for byte, in order \
            (a folder's files as kubectl reads them). From stdin, Secrets without references are \
            left as they are (a chart's own). Usable as Helm's --post-renderer (args: render -f -), \
            after 'kubectl kustomize', and as an Argo CD plugin (docs/argocd-plugin.yaml). \
            Streams over 32 MiB are refused.

            With secrets/environments.yaml, the environment's namespace is used (as 'apply' does) \
            unless --namespace is given.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: RenderOptions
    @OptionGroup var stream: StreamOptions

    @Option(name: [.customShort("o"), .customLong("output")], help: "yaml or json.")
    var format: ManifestFormat = .yaml

    // Sealed output: a SealedSecret the sealed-secrets controller decrypts in the cluster.
    @Flag(help: "Write bitnami.com/v1alpha1 SealedSecrets, every value sealed for the controller's certificate (safe to commit).")
    var sealed = false

    @Option(help: ArgumentHelp("With --sealed: the controller's certificate (PEM, from 'kubeseal --fetch-cert').", valueName: "path"))
    var cert: String?

    @Option(help: ArgumentHelp("With --sealed: strict (this name and namespace), namespace-wide or cluster-wide.", valueName: "scope"))
    var scope: SealedSecretScope = .strict

    func validate() throws {
        try stream.validate(with: source)
        if stream.isStream, format != .yaml { throw ValidationError("-f writes YAML only") }
        if sealed {
            guard cert != nil else { throw ValidationError("--sealed needs --cert PATH (the controller's certificate, from 'kubeseal --fetch-cert')") }
            guard format == .yaml else { throw ValidationError("--sealed writes YAML only") }
        } else if cert != nil || scope != .strict {
            throw ValidationError("--cert and --scope go with --sealed")
        }
    }

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        // secrets/environments.yaml gives the namespace (and template) 'apply' would use.
        var source = self.source
        _ = try EnvironmentsGuard.target(global: global, source: &source, contextOption: nil, context: context)
        let certificate = try cert.map { path throws(SecretctlError) in try SealedSecretWriter.certificate(at: context.environment.path(path)) }
        if stream.isStream {
            let rendered = try stream.render(global: global, namespace: source.namespace, context: context)
            let output = try certificate.map { certificate throws(SecretctlError) in
                try rendered.writeSealed(certificate: certificate, scope: scope)
            } ?? rendered.write()
            if certificate == nil, !rendered.filled.isEmpty, context.stdout.isTerminal {
                context.warn("the manifests hold the values (base64 is not encryption); they stay in this terminal's scrollback")
            }
            context.stdout.write(output)
            return 0
        }
        let store = try global.store(context)
        let vault = try store.open()
        let secrets = try source.render(vault.contents, context)
        if let certificate {
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
