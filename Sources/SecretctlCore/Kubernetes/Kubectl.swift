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

    package func applyArguments(namespace: String?, dryRun: Bool, forceConflicts: Bool) -> [String] {
        prefix + ["apply", "--server-side", "--field-manager=\(Self.fieldManager)"]
            + (forceConflicts ? ["--force-conflicts"] : [])
            + (dryRun ? ["--dry-run=server"] : [])
            + Self.namespaceFlag(namespace) + ["-f", "-"]
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

    /// Server-side apply of `manifest` (on stdin). Returns kubectl's report.
    /// `values` are the values in the manifest: a kubectl, plugin or webhook
    /// that echoes the manifest in an error must not put them in secretctl's.
    package func apply(
        _ manifest: SecureBytes, values: [SecretValue] = [], namespace: String?, dryRun: Bool, forceConflicts: Bool
    ) async throws(SecretctlError) -> String {
        var result = try await runner.run(applyArguments(namespace: namespace, dryRun: dryRun, forceConflicts: forceConflicts), input: manifest)
        guard result.succeeded else {
            result.stderr = Self.redact(result.stderr, values: values)
            var error = Self.failure("apply", result)
            if result.stderr.contains("conflict") {
                error.hint = "another field manager (an earlier 'kubectl apply' or 'kubectl edit') owns these keys; "
                    + "if the vault is the truth, run again with --force-conflicts"
            }
            throw error
        }
        return result.stdoutText
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
    /// gives it a value on the command line to repeat.
    private static func failure(_ what: String, _ result: KubectlResult) -> SecretctlError {
        var message = result.stderr
        while message.last?.isWhitespace == true { message.removeLast() }
        if message.utf8.count > 2000 { message = String(message.prefix(2000)) + " ..." }
        let detail = message.isEmpty ? "" : ": \(message)"
        return SecretctlError(.system, "kubectl \(what) failed (exit \(result.status))\(detail)")
    }
}
