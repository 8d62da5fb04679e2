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
        let report = try await Self.apply(
            secrets, manifest: manifest, kubectl: kubectl, namespace: source.namespace,
            dryRun: dryRun, forceConflicts: forceConflicts, context: context)
        context.stdout.write(report)
        return 0
    }

    /// Shared with `rotate --apply`. Returns kubectl's report, for stdout once
    /// the whole command has succeeded.
    static func apply(
        _ secrets: [RenderedSecret], manifest: SecureBytes, kubectl: Kubectl, namespace: String?, dryRun: Bool,
        forceConflicts: Bool, context: CommandContext
    ) async throws(SecretctlError) -> String {
        let report = try await SecretApplier(kubectl: kubectl).apply(
            secrets, manifest: manifest, namespace: namespace, dryRun: dryRun, forceConflicts: forceConflicts
        ) { event in
            switch event {
            case let .removedLastApplied(secret, keys):
                context.note("removed the annotation \(LiveSecret.lastAppliedAnnotation) from \(secret): "
                    + "an earlier client-side 'kubectl apply' had stored \(Self.describe(keys)) in it")
                if !keys.isEmpty {
                    context.hint("anyone who could read the Secret's annotations has seen \(keys.joined(separator: ", ")): "
                        + "rotate \(keys.count == 1 ? "it" : "them") ('secretctl rotate NAME' for generated entries; "
                        + "for the others, a new value from the provider, then 'secretctl set NAME')")
                }
            case let .wouldRemoveLastApplied(secret, keys):
                context.note("dry run: would remove the annotation \(LiveSecret.lastAppliedAnnotation) from \(secret) "
                    + "(an earlier client-side 'kubectl apply' stored \(Self.describe(keys)) in it)")
            case let .tookOver(keys):
                context.note("took over \(keys.isEmpty ? "keys" : keys.joined(separator: ", ")) from an earlier client-side "
                    + "'kubectl apply' (field manager \(KubectlStderr.clientSideApplyManager)): the vault is the source of truth for its keys")
            }
        }
        return report
    }

    private static func describe(_ keys: [String]) -> String {
        keys.isEmpty ? "no value (only empty ones)" : "the value\(keys.count == 1 ? "" : "s") of \(keys.joined(separator: ", "))"
    }
}
