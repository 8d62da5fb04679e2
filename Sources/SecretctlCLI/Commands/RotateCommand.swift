import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct RotateCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Make a new value by the entry's recipe; the old one stays in history.",
        discussion: """
            Pods read Secret values in environment variables only when they start (kubernetes \
            issue 22368), so a rotation is finished only when the workloads restart: \
            --apply applies the Secrets as 'secretctl apply' does; --restart (implies --apply) \
            also finds the Deployments, StatefulSets and DaemonSets in k8s/ that read the \
            rotated key (envFrom, secretKeyRef, secret or projected volumes), runs \
            'kubectl rollout restart' on each and waits with 'kubectl rollout status'. \
            --dry-run prints the plan and changes nothing.

            rotate BETTER_AUTH_SECRET --keep-previous keeps Better Auth's versioned list \
            BETTER_AUTH_SECRETS ("3:new,2:old"): the new secret is current, --keep N previous ones \
            (default 1) stay for decryption. BETTER_AUTH_SECRET itself is not changed: Better Auth \
            decrypts data from before the list with it. Session cookies are signed with the \
            current secret only, so users may have to sign in again.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name.")
    var name: String

    @Flag(help: "Apply the Secrets afterwards (kubectl apply --server-side).")
    var apply = false

    @Flag(help: "Also restart the workloads that read the key and wait for them (implies --apply).")
    var restart = false

    @Flag(help: "Print the plan; change nothing and run no kubectl.")
    var dryRun = false

    @Flag(help: "BETTER_AUTH_SECRET only: add the new secret to BETTER_AUTH_SECRETS and keep previous ones.")
    var keepPrevious = false

    @Option(help: ArgumentHelp("With --keep-previous: how many previous secrets stay in the list.", valueName: "n"))
    var keep: Int?

    @OptionGroup var source: RenderOptions
    @OptionGroup var cluster: ClusterOptions

    @Option(help: ArgumentHelp("Where --restart looks for workloads (default: k8s/ under the project root).", valueName: "dir"))
    var manifests: String?

    @Option(help: ArgumentHelp("How long to wait for each rollout (kubectl rollout status --timeout).", valueName: "duration"))
    var timeout = "5m"

    @Flag(help: "With --apply: take over keys another field manager owns (kubectl --force-conflicts).")
    var forceConflicts = false

    @Flag(help: "With --apply: do not ask before applying to a protected environment (secrets/environments.yaml).")
    var yes = false

    func validate() throws {
        if keep != nil, !keepPrevious { throw ValidationError("--keep goes with --keep-previous") }
        if keepPrevious, name != VersionedSecrets.secretName {
            throw ValidationError("--keep-previous is for \(VersionedSecrets.secretName) (Better Auth's versioned secrets)")
        }
        if name == VersionedSecrets.listName {
            throw ValidationError("\(name) is maintained by 'secretctl rotate \(VersionedSecrets.secretName) --keep-previous'")
        }
        try Self.validateTimeout(timeout)
    }

    static func validateTimeout(_ timeout: String) throws {
        let units = Set("smh")
        guard let last = timeout.last, units.contains(last), timeout.first?.isNumber == true,
            timeout.allSatisfy({ $0.isASCII && ($0.isNumber || units.contains($0)) })
        else { throw ValidationError("--timeout takes a duration such as 90s, 5m or 1h") }
    }

    /// What the rotation changes, decided before anything is written.
    private struct Plan {
        var description: [String] = []
        var secrets: [RenderedSecret] = []
        var manifest = SecureBytes()
        var workloads: [Workload] = []
        var note = ""
    }

    func run(in context: CommandContext) async throws -> Int32 {
        try EntryName.validate(name)
        let store = try global.store(context)
        let applying = apply || restart
        let changedKey = keepPrevious ? VersionedSecrets.listName : name
        // secrets/environments.yaml may bind --env to a context, namespace and template.
        var source = self.source

        // Dry run: rotate a copy in memory, print what would happen; no kubectl runs.
        if dryRun {
            let locator = ProjectLocator(environment: context.environment)
            let target = try DeploymentTarget.resolve(
                environment: try locator.environmentName(option: global.env), projectRoot: locator.projectRoot, contextOption: cluster.context)
            if source.namespace == nil { source.namespace = target.namespace }
            if source.template == nil, !source.all, let template = target.template { source.template = Path.join(locator.projectRoot, template) }
            var contents = try store.open().contents
            let plan = try makePlan(&contents, changedKey: changedKey, applying: applying, source: source, context: context, vaultPath: store.path)
            var lines = plan.description.map { "would \($0)" }
            if applying {
                var kubectl = cluster.planner(context)
                kubectl.context = target.context
                lines.append("would run \(display(kubectl.applyArguments(namespace: source.namespace, dryRun: false, forceConflicts: forceConflicts))) (manifest on stdin)")
                for workload in plan.workloads { lines.append("would run \(display(kubectl.restartArguments(workload)))") }
                for workload in plan.workloads { lines.append("would run \(display(kubectl.statusArguments(workload, timeout: timeout)))") }
            }
            context.stdout.write("dry run, nothing was changed:\n" + lines.map { "  \($0)\n" }.joined())
            return 0
        }

        // Find kubectl (and confirm a protected environment) before the vault changes.
        let kubectl = applying
            ? try await EnvironmentsGuard.kubectl(
                global: global, source: &source, cluster: cluster, changesCluster: true, yes: yes, context: context)
            : nil
        let plan = try store.update { (vault) throws(SecretctlError) in
            try makePlan(&vault.contents, changedKey: changedKey, applying: applying, source: source, context: context, vaultPath: store.path)
        }
        context.note(plan.note)
        guard let kubectl else {
            context.hint("pods read Secret values at start: apply and restart the workloads that use \(changedKey) (--restart does both)")
            return 0
        }

        let retry = "the vault already holds the new value: run 'secretctl apply' again (and restart the workloads), "
            + "or 'secretctl rollback \(changedKey)' to go back"
        let report: String
        do {
            report = try await ApplyCommand.apply(
                plan.secrets, manifest: plan.manifest, kubectl: kubectl, namespace: source.namespace, dryRun: false,
                forceConflicts: forceConflicts, context: context)
        } catch {
            throw SecretctlError(error.code, error.message, hint: error.hint.map { "\($0)\n\(retry)" } ?? retry)
        }
        guard restart else {
            context.stdout.write(report)
            context.hint("pods read Secret values at start: restart the workloads that use \(changedKey) (--restart does it)")
            return 0
        }
        do {
            let progress = try await Rollouts.restartAndWait(
                plan.workloads, kubectl: kubectl, timeout: timeout, changed: [changedKey], context: context)
            context.stdout.write(report + progress)
        } catch {
            context.note("applied: \(report.split(separator: "\n").joined(separator: "; "))")
            throw error
        }
        return 0
    }

    /// Rotates `contents` and, when applying, renders and finds the workloads;
    /// throws (so nothing is saved) when the new value could not reach the cluster.
    private func makePlan(
        _ contents: inout VaultContents, changedKey: String, applying: Bool, source: RenderOptions, context: CommandContext,
        vaultPath: String
    ) throws(SecretctlError) -> Plan {
        var plan = Plan()
        let now = context.clock()
        if keepPrevious {
            let rotation = try VersionedSecrets.rotate(&contents, keep: keep ?? VersionedSecrets.defaultKeep, now: now, vaultPath: vaultPath)
            let kept = rotation.kept.map { "v\($0)" }.joined(separator: ", ")
            let stays = kept.isEmpty ? "" : "; \(kept) stay\(rotation.kept.count == 1 ? "s" : "") for decryption"
            let leaves = rotation.dropped.isEmpty ? "" : "; \(rotation.dropped.map { "v\($0)" }.joined(separator: ", ")) "
                + "leave\(rotation.dropped.count == 1 ? "s" : "") the list (data encrypted with \(rotation.dropped.count == 1 ? "it" : "them") becomes unreadable)"
            plan.description.append("add v\(rotation.current) to \(VersionedSecrets.listName) as the current secret\(stays)\(leaves)")
            plan.description.append("leave \(VersionedSecrets.secretName) as it is (it decrypts data from before the versioned list)")
            let start = rotation.created ? " (the list starts from \(VersionedSecrets.secretName) v\(rotation.kept.first ?? 0))" : ""
            plan.note = "rotated \(VersionedSecrets.listName): v\(rotation.current) is current\(stays)\(leaves)\(start); "
                + "\(VersionedSecrets.secretName) is unchanged; users may have to sign in again"
        } else {
            if name == VersionedSecrets.secretName, contents[VersionedSecrets.listName] != nil {
                throw SecretctlError(.failure,
                    "the vault has \(VersionedSecrets.listName), so Better Auth encrypts with that list, not with \(name); nothing was changed",
                    hint: "rotate with 'secretctl rotate \(name) --keep-previous'")
            }
            let entry = try VaultEditor.rotate(&contents, name: name, now: now, vaultPath: vaultPath)
            let previous = entry.versions.count > 1 ? entry.versions[1].number : entry.current.number
            plan.description.append("rotate \(name) to v\(entry.current.number) (v\(previous) stays in history)")
            plan.note = "rotated \(name) to v\(entry.current.number); v\(previous) is kept in history"
        }
        guard applying else { return plan }

        plan.secrets = try source.render(contents, context)
        // A Secret key may be filled from an entry of another name (secretctl:ENTRY).
        let carriers = plan.secrets.filter { secret in
            secret.manifest.keys(filledFrom: changedKey).contains { secret.value(for: $0) != nil }
        }
        guard !carriers.isEmpty else {
            throw SecretctlError(.failure,
                "no Secret in \(source.source(context).description) has the key \(changedKey), so --apply could not deliver the new value; nothing was changed",
                hint: "add '\(changedKey): \(SecretReference(entry: changedKey).text)' under the template's data, or rotate without --apply")
        }
        plan.manifest = ManifestWriter.write(plan.secrets, as: .yaml)
        plan.description.append("apply \(plan.secrets.map(\.manifest.displayName).joined(separator: ", ")) with the new value")
        guard restart else { return plan }

        let directory = manifests.map { context.environment.path($0) } ?? SecretSource.manifestsDirectory(context.environment)
        for secret in carriers {
            let found = try WorkloadFinder.consumers(
                ofSecret: secret.manifest.name, namespace: secret.manifest.namespace,
                keys: Set(secret.manifest.keys(filledFrom: changedKey)), inDirectory: directory)
            for workload in found where !plan.workloads.contains(workload) { plan.workloads.append(workload) }
        }
        if plan.workloads.isEmpty {
            context.warn("no Deployment, StatefulSet or DaemonSet in \(directory) reads \(changedKey); nothing to restart")
        }
        for workload in plan.workloads { plan.description.append("restart \(workload.displayName) and wait up to \(timeout)") }
        return plan
    }

    private func display(_ arguments: [String]) -> String {
        (["kubectl"] + arguments).joined(separator: " ")
    }
}
