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

            -f FILE|DIR|- (repeatable) applies whole manifest streams, such as the app's k8s/ \
            folder, in one server-side apply: Namespaces first, then the rest in order, every \
            Secret that refers to the vault filled. Each object is reported as created, \
            configured or unchanged. --restart-changed then restarts the workloads of the stream \
            that read a key whose value changed, and waits for them (within --timeout).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: RenderOptions
    @OptionGroup var stream: StreamOptions
    @OptionGroup var cluster: ClusterOptions

    @Flag(help: "Let the API server check the apply (kubectl --dry-run=server); change nothing.")
    var dryRun = false

    @Flag(help: "Take over keys another field manager owns (kubectl --force-conflicts).")
    var forceConflicts = false

    @Flag(help: "Do not ask before applying to a protected environment (secrets/environments.yaml).")
    var yes = false

    @Flag(help: "With -f: restart the stream's workloads that read a key whose value changed, and wait for them.")
    var restartChanged = false

    @Option(help: ArgumentHelp("With --restart-changed: how long to wait for the rollouts.", valueName: "duration"))
    var timeout = "5m"

    func validate() throws {
        try stream.validate(with: source)
        if restartChanged, !stream.isStream { throw ValidationError("--restart-changed goes with -f") }
        if restartChanged, dryRun { throw ValidationError("--restart-changed and --dry-run do not go together") }
        try RotateCommand.validateTimeout(timeout)
    }

    func run(in context: CommandContext) async throws -> Int32 {
        // secrets/environments.yaml may bind --env to a context, namespace and template.
        var source = self.source
        let kubectl = try await EnvironmentsGuard.kubectl(
            global: global, source: &source, cluster: cluster, changesCluster: !dryRun, yes: yes, context: context)
        if stream.isStream { return try await applyStream(kubectl: kubectl, namespace: source.namespace, context: context) }
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

    private func applyStream(kubectl: Kubectl, namespace: String?, context: CommandContext) async throws(SecretctlError) -> Int32 {
        let rendered = try stream.render(global: global, namespace: namespace, context: context)
        let report = try await StreamApplier(kubectl: kubectl).apply(
            rendered, namespace: namespace, dryRun: dryRun, forceConflicts: forceConflicts
        ) { event in Self.tell(event, context: context) }
        var lines = report.outcomes.map { outcome in
            outcome.line + (dryRun ? " (dry run\(outcome.unchecked ? "; its namespace is created first, so the server could not check it" : ""))" : "")
        }
        guard restartChanged else {
            context.stdout.write(lines.map { $0 + "\n" }.joined())
            return 0
        }
        // Workloads created by this apply start with the new values; the others that read a
        // changed key are restarted.
        let created = Set(report.outcomes.filter { $0.change == .created }.map {
            Kubectl.ObjectKey(kind: $0.kind, namespace: $0.namespace ?? "", name: $0.name)
        })
        var restart: [Workload] = []
        var changedEntries: [String] = []
        let workloads = rendered.stream.workloads
        for (manifest, keys) in report.changedKeys {
            for key in keys.sortedByBytes() where !changedEntries.contains(manifest.entry(for: key)) {
                changedEntries.append(manifest.entry(for: key))
            }
            let found = WorkloadFinder.consumers(ofSecret: manifest.name, namespace: manifest.namespace ?? namespace, keys: keys, among: workloads)
            for workload in found where !restart.contains(workload) {
                let key = Kubectl.ObjectKey(kind: workload.kind.rawValue, namespace: workload.namespace ?? namespace ?? "", name: workload.name)
                if !created.contains(key) { restart.append(workload) }
            }
        }
        if restart.isEmpty {
            context.note(report.changedKeys.isEmpty ? "no value changed: nothing to restart" : "no existing workload reads a changed value: nothing to restart")
        } else {
            let progress = try await Rollouts.restartAndWait(restart, kubectl: kubectl, timeout: timeout, changed: changedEntries, context: context)
            lines += progress.split(separator: "\n").map(String.init)
        }
        context.stdout.write(lines.map { $0 + "\n" }.joined())
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
        ) { event in Self.tell(event, context: context) }
        return report
    }

    /// What the apply did besides applying, on stderr.
    static func tell(_ event: SecretApplier.Event, context: CommandContext) {
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

    private static func describe(_ keys: [String]) -> String {
        keys.isEmpty ? "no value (only empty ones)" : "the value\(keys.count == 1 ? "" : "s") of \(keys.joined(separator: ", "))"
    }
}
