import SecretctlCore

/// Restarting the workloads that read a changed value, for `rotate --restart` and
/// `apply --restart-changed`.
enum Rollouts {
    /// Restarts every workload, then waits for all of them at once, so one
    /// `--timeout` bounds the whole wait. One that fails does not stop the
    /// others; the error names every workload that did not finish. The Secret
    /// is live by then, so the way on is the rollouts, not another apply.
    static func restartAndWait(
        _ workloads: [Workload], kubectl: Kubectl, timeout: String, changed: [String], context: CommandContext
    ) async throws(SecretctlError) -> String {
        var failed: [(workload: Workload, reason: String)] = []
        var restarted: [Workload] = []
        for workload in workloads {
            do {
                try await kubectl.restart(workload)
                restarted.append(workload)
                context.note("restarted \(workload.displayName)")
            } catch {
                failed.append((workload, "not restarted: \(error.message)"))
            }
        }
        let outcomes = await withTaskGroup(of: (Workload, Result<String, SecretctlError>).self) { group in
            for workload in restarted {
                group.addTask { (workload, await wait(for: workload, kubectl: kubectl, timeout: timeout)) }
            }
            var outcomes: [(Workload, Result<String, SecretctlError>)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        var finished: [Workload] = []
        var progress = ""
        for workload in restarted {
            guard let outcome = outcomes.first(where: { $0.0 == workload })?.1 else { continue }
            switch outcome {
            case let .success(text):
                finished.append(workload)
                progress += text
            case let .failure(error):
                failed.append((workload, "did not finish within \(timeout): \(error.message)"))
            }
        }
        // stdout stays empty on failure, so what finished is told on stderr then.
        guard !failed.isEmpty else { return progress }
        for workload in finished { context.note("\(workload.displayName) finished its rollout") }
        for (workload, reason) in failed { context.warn("\(workload.displayName) \(reason)") }
        let names = failed.map(\.workload.displayName).joined(separator: ", ")
        let status = failed.map { "'" + (["kubectl"] + kubectl.statusArguments($0.workload, timeout: timeout)).joined(separator: " ") + "'" }
        throw SecretctlError(.system,
            "\(failed.count) of \(workloads.count) workload\(workloads.count == 1 ? "" : "s") did not finish restarting: \(names)",
            hint: "the Secret is live with the new value of \(changed.joined(separator: ", ")); pods that have not restarted "
                + "still use the old value. Wait again with \(status.joined(separator: ", ")); or go back with "
                + (changed.count == 1 ? "'secretctl rollback \(changed[0])', " : "'secretctl rollback NAME' for each of them, ")
                + "'secretctl apply' and 'kubectl rollout undo' of each")
    }

    /// One `kubectl rollout status`, its failure as a value so the others go on.
    private static func wait(for workload: Workload, kubectl: Kubectl, timeout: String) async -> Result<String, SecretctlError> {
        do {
            return .success(try await kubectl.waitForRollout(workload, timeout: timeout))
        } catch {
            return .failure(error)
        }
    }
}
