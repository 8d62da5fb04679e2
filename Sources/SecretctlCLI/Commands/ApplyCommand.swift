import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct ApplyCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Render the Secrets and apply them with kubectl, values on its stdin only.",
        discussion: """
            Runs 'kubectl apply --server-side --field-manager=secretctl -f -' with the rendered \
            manifest on stdin. A plain (client-side) 'kubectl apply' copies the whole Secret, every \
            value, into the annotation kubectl.kubernetes.io/last-applied-configuration; when the \
            live Secret carries that annotation, apply removes it and says so. \
            kubectl is $KUBECTL, else kubectl on PATH.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: RenderOptions
    @OptionGroup var cluster: ClusterOptions

    @Flag(help: "Let the API server check the apply (kubectl --dry-run=server); change nothing.")
    var dryRun = false

    @Flag(help: "Take over keys another field manager owns (kubectl --force-conflicts).")
    var forceConflicts = false

    @Flag(help: "Do not ask before applying to a protected environment (secrets/environments.yaml).")
    var yes = false

    func run(in context: CommandContext) async throws -> Int32 {
        // secrets/environments.yaml may bind --env to a context, namespace and template.
        var source = self.source
        let kubectl = try await EnvironmentsGuard.kubectl(
            global: global, source: &source, cluster: cluster, changesCluster: !dryRun, yes: yes, context: context)
        let store = try global.store(context)
        let vault = try store.open()
        let secrets = try source.render(vault.contents, context)
        let manifest = ManifestWriter.write(secrets, as: .yaml)
        try await Self.apply(
            secrets, manifest: manifest, kubectl: kubectl, namespace: source.namespace,
            dryRun: dryRun, forceConflicts: forceConflicts, context: context)
        return 0
    }

    /// Shared with `rotate --apply`.
    static func apply(
        _ secrets: [RenderedSecret], manifest: SecureBytes, kubectl: Kubectl, namespace: String?, dryRun: Bool,
        forceConflicts: Bool, context: CommandContext
    ) async throws(SecretctlError) {
        let report = try await SecretApplier(kubectl: kubectl).apply(
            secrets, manifest: manifest, namespace: namespace, dryRun: dryRun, forceConflicts: forceConflicts
        ) { event in
            switch event {
            case let .removedLastApplied(secret):
                context.note("removed the annotation \(LiveSecret.lastAppliedAnnotation) from \(secret): "
                    + "an earlier client-side 'kubectl apply' had stored every value of the Secret in it")
            case let .wouldRemoveLastApplied(secret):
                context.note("dry run: would remove the annotation \(LiveSecret.lastAppliedAnnotation) from \(secret) "
                    + "(it holds every value of the Secret, from an earlier client-side 'kubectl apply')")
            }
        }
        context.stdout.write(report)
    }
}
