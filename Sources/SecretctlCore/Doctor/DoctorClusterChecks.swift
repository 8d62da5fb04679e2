/// The checks that ask kubectl: the current context, and whether a live Secret still carries
/// the `last-applied-configuration` annotation (every value, a second time).
extension Doctor {
    /// Seconds kubectl may spend reaching the cluster before doctor moves on.
    static let requestTimeout = "--request-timeout=5s"

    func clusterChecks(secrets: [LiveTarget]) async -> [DoctorCheck] {
        guard let kubectl else {
            return [DoctorCheck(.info, "kubectl", "kubectl was not found: the cluster checks were skipped")]
        }
        var checks: [DoctorCheck] = []
        let current = try? await kubectl.run(["config", "current-context"], input: nil)
        let context = current.flatMap { $0.succeeded ? $0.stdoutText.split(separator: "\n").first.map(String.init) : nil }
        guard let context, !context.isEmpty else {
            checks.append(DoctorCheck(.info, "kubectl", "no current kubectl context: the live Secret checks were skipped"))
            return checks
        }
        checks.append(DoctorCheck(.info, "kubectl", "current context: \(context)"))
        for secret in secrets {
            var arguments = [Self.requestTimeout, "get", "secret", secret.name]
            if let namespace = secret.namespace { arguments += ["-n", namespace] }
            arguments += ["-o", "json"]
            guard let result = try? await kubectl.run(arguments, input: nil) else {
                checks.append(DoctorCheck(.info, "cluster", "kubectl could not be run: Secret \(secret.displayName) not checked"))
                continue
            }
            if !result.succeeded {
                if Kubectl.isNotFound(result.stderr) {
                    checks.append(DoctorCheck(.info, "cluster", "Secret \(secret.displayName) does not exist in \(context)"))
                } else {
                    let reason = result.stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(result.status)"
                    checks.append(DoctorCheck(.info, "cluster", "the cluster of \(context) was not reachable (\(reason)): Secret \(secret.displayName) not checked"))
                }
                continue
            }
            guard let live = try? LiveSecret.parse(result.stdout) else {
                checks.append(DoctorCheck(.info, "cluster", "kubectl's answer for Secret \(secret.displayName) could not be read"))
                continue
            }
            let namespace = secret.namespace.map { " -n \($0)" } ?? ""
            if live.hasLastAppliedConfiguration {
                checks.append(DoctorCheck(.attention, "cluster",
                    "Secret \(secret.displayName) in \(context) carries \(LiveSecret.lastAppliedAnnotation): every value is stored there a second time, readable by anyone who can read the Secret's metadata",
                    fix: "secretctl apply (removes it), or: kubectl annotate secret \(secret.name)\(namespace) \(LiveSecret.lastAppliedAnnotation)-; then apply with --server-side only"))
            } else {
                checks.append(DoctorCheck(.ok, "cluster", "Secret \(secret.displayName) in \(context) has no last-applied-configuration annotation"))
            }
        }
        return checks
    }
}
