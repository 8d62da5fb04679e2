package import SecretctlCrypto

/// The kubectl calls secretctl makes, each built from names and flags only:
/// no value is ever an argument. Manifests go on stdin.
package struct Kubectl: Sendable {
    package static let fieldManager = "secretctl"

    package var runner: any KubectlRunner
    /// `--context`, when given.
    package var context: String?

    package init(runner: any KubectlRunner, context: String?) {
        self.runner = runner
        self.context = context
    }

    // MARK: - Arguments

    private var prefix: [String] { context.map { ["--context", $0] } ?? [] }

    private static func namespaceFlag(_ namespace: String?) -> [String] {
        namespace.map { ["-n", $0] } ?? []
    }

    package func getSecretArguments(name: String, namespace: String?) -> [String] {
        prefix + ["get", "secret", name] + Self.namespaceFlag(namespace) + ["-o", "json"]
    }

    package func applyArguments(namespace: String?, dryRun: Bool, forceConflicts: Bool, output: String? = nil) -> [String] {
        prefix + ["apply", "--server-side", "--field-manager=\(Self.fieldManager)"]
            + (forceConflicts ? ["--force-conflicts"] : [])
            + (dryRun ? ["--dry-run=server"] : [])
            + Self.namespaceFlag(namespace) + ["-f", "-"]
            + (output.map { ["--show-managed-fields", "-o", $0] } ?? [])
    }

    /// kubectl prints, for every object of a list: `Kind namespace name generation time`, the
    /// time being that of secretctl's managedFields entry. Names only, never a value, even for
    /// a Secret. (A resourceVersion would not do: controllers bump it with status updates.)
    package static let identityOutput =
        #"jsonpath={range .items[*]}{.kind}{"\t"}{.metadata.namespace}{"\t"}{.metadata.name}{"\t"}{.metadata.generation}{"\t"}{range .metadata.managedFields[?(@.manager=="secretctl")]}{.time}{end}{"\n"}{end}"#

    package func getArguments(namespace: String?) -> [String] {
        prefix + ["get", "--ignore-not-found", "--show-managed-fields"] + Self.namespaceFlag(namespace)
            + ["-f", "-", "-o", Self.identityOutput]
    }

    package func removeLastAppliedArguments(name: String, namespace: String?) -> [String] {
        prefix + ["annotate", "secret", name] + Self.namespaceFlag(namespace) + ["\(LiveSecret.lastAppliedAnnotation)-"]
    }

    package func restartArguments(_ workload: Workload) -> [String] {
        prefix + ["rollout", "restart", workload.reference] + Self.namespaceFlag(workload.namespace)
    }

    package func statusArguments(_ workload: Workload, timeout: String) -> [String] {
        prefix + ["rollout", "status", workload.reference] + Self.namespaceFlag(workload.namespace) + ["--timeout=\(timeout)"]
    }

    // MARK: - Calls

    /// The live Secret, or nil when the cluster has none by that name.
    package func getSecret(name: String, namespace: String?) async throws(SecretctlError) -> LiveSecret? {
        let result = try await runner.run(getSecretArguments(name: name, namespace: namespace), input: nil)
        if !result.succeeded {
            if Self.isNotFound(result.stderr) { return nil }
            throw Self.failure("get secret \(name)", result)
        }
        return try LiveSecret.parse(result.stdout)
    }

    /// What a server-side apply did.
    package struct ApplyReport: Sendable {
        /// kubectl's report (`secret/NAME serverside-applied`).
        package var text: String
        /// Keys taken over from an earlier client-side `kubectl apply`, which
        /// still owned them: the vault is the source of truth for its keys.
        package var takenOver: [String] = []
    }

    /// Server-side apply of `manifest` (on stdin). `values` are the values in the
    /// manifest: a kubectl, plugin or webhook that echoes the manifest in an
    /// error must not put them in secretctl's.
    ///
    /// A conflict with `kubectl-client-side-apply` alone (an earlier plain
    /// `kubectl apply` of the same Secret) is taken over: the keys are the
    /// vault's. A conflict with any other field manager needs `forceConflicts`.
    package func apply(
        _ manifest: SecureBytes, values: [SecretValue] = [], namespace: String?, dryRun: Bool, forceConflicts: Bool,
        output: String? = nil
    ) async throws(SecretctlError) -> ApplyReport {
        var result = try await runner.run(
            applyArguments(namespace: namespace, dryRun: dryRun, forceConflicts: forceConflicts, output: output), input: manifest)
        result.stderr = Self.redact(result.stderr, values: values)
        var takenOver: [String] = []
        let managers = KubectlStderr.conflictingManagers(result.stderr)
        if !result.succeeded, !forceConflicts, managers == [KubectlStderr.clientSideApplyManager] {
            takenOver = KubectlStderr.conflictingKeys(result.stderr)
            result = try await runner.run(
                applyArguments(namespace: namespace, dryRun: dryRun, forceConflicts: true, output: output), input: manifest)
            result.stderr = Self.redact(result.stderr, values: values)
        }
        guard result.succeeded else {
            var error = Self.failure("apply", result)
            let others = KubectlStderr.conflictingManagers(result.stderr).filter { $0 != KubectlStderr.clientSideApplyManager }
            if !others.isEmpty {
                let keys = KubectlStderr.conflictingKeys(result.stderr)
                let owned = keys.isEmpty ? "keys of this Secret" : keys.joined(separator: ", ")
                error.hint = "the field manager\(others.count == 1 ? "" : "s") \(others.map { "'\($0)'" }.joined(separator: ", ")) "
                    + "own\(others.count == 1 ? "s" : "") \(owned); if the vault is the truth, run again with --force-conflicts"
            }
            throw error
        }
        return ApplyReport(text: result.stdoutText, takenOver: takenOver)
    }

    /// The state (generation and secretctl's last change) of each object of `identities` (a
    /// manifest of names only) that exists, keyed by `ObjectKey`.
    package func resourceVersions(_ identities: SecureBytes, namespace: String?) async throws(SecretctlError) -> [ObjectKey: String] {
        let result = try await runner.run(getArguments(namespace: namespace), input: identities)
        guard result.succeeded else { throw Self.failure("get", result) }
        return Self.parseIdentities(result.stdoutText)
    }

    /// An object's kind, namespace (empty for cluster-wide objects) and name.
    package struct ObjectKey: Hashable, Sendable {
        package var kind: String
        package var namespace: String
        package var name: String

        package init(kind: String, namespace: String, name: String) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
        }
    }

    package static func parseIdentities(_ text: String) -> [ObjectKey: String] {
        var versions: [ObjectKey: String] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { continue }
            versions[ObjectKey(kind: fields[0], namespace: fields[1], name: fields[2])] = fields[3] + " " + fields[4]
        }
        return versions
    }

    package func removeLastApplied(name: String, namespace: String?) async throws(SecretctlError) {
        let result = try await runner.run(removeLastAppliedArguments(name: name, namespace: namespace), input: nil)
        guard result.succeeded else { throw Self.failure("annotate secret \(name)", result) }
    }

    package func restart(_ workload: Workload) async throws(SecretctlError) {
        let result = try await runner.run(restartArguments(workload), input: nil)
        guard result.succeeded else { throw Self.failure("rollout restart \(workload.reference)", result) }
    }

    /// Waits for a rollout; returns kubectl's progress text.
    package func waitForRollout(_ workload: Workload, timeout: String) async throws(SecretctlError) -> String {
        let result = try await runner.run(statusArguments(workload, timeout: timeout), input: nil)
        guard result.succeeded else { throw Self.failure("rollout status \(workload.reference)", result) }
        return result.stdoutText
    }

    // MARK: - Errors

    /// `Error from server (NotFound): secrets "x" not found`.
    package static func isNotFound(_ stderr: String) -> Bool {
        stderr.contains("(NotFound)")
    }

    /// Values shorter than this are not searched for: they would match ordinary words.
    package static let shortestRedactedValue = 4

    /// `text` with every value, in every encoded form and including each component of a
    /// versioned list, replaced by `<redacted>` (see `ValueRedactor`).
    package static func redact(_ text: String, values: [SecretValue]) -> String {
        ValueRedactor.redact(text, values: values, shortest: shortestRedactedValue)
    }

    /// kubectl's own message; it names objects and fields, and secretctl never
    /// gives it a value on the command line to repeat. A cluster kubectl cannot
    /// reach is said in one line with the next step, without client-go's log noise.
    private static func failure(_ what: String, _ result: KubectlResult) -> SecretctlError {
        var message = KubectlStderr.withoutLogLines(result.stderr)
        while message.last?.isWhitespace == true { message.removeLast() }
        while message.first?.isWhitespace == true { message.removeFirst() }
        if message.utf8.count > 2000 { message = String(message.prefix(2000)) + " ..." }
        if KubectlStderr.hasNoContext(result.stderr) {
            return SecretctlError(.system,
                "kubectl \(what) failed: kubectl has no cluster to talk to (no current context, so it tried localhost:8080)",
                hint: "pick a cluster with 'kubectl config use-context NAME' or pass --context NAME; "
                    + "'kubectl config get-contexts' lists them")
        }
        if KubectlStderr.isUnreachable(result.stderr) {
            let lastLine = message.split(separator: "\n").last.map(String.init) ?? ""
            return SecretctlError(.system,
                "kubectl \(what) failed: kubectl cannot reach the cluster's API server\(lastLine.isEmpty ? "" : ": \(lastLine)")",
                hint: "check that the cluster is running and that 'kubectl config current-context' is the one you mean "
                    + "(or pass --context)")
        }
        let detail = message.isEmpty ? "" : ": \(message)"
        return SecretctlError(.system, "kubectl \(what) failed (exit \(result.status))\(detail)")
    }
}
