import SecretctlCore
import SecretctlCrypto

/// The one call `apply`, `diff` and `rotate --apply` make before talking to a cluster:
/// resolves the environment's context from secrets/environments.yaml, refuses an
/// undeclared environment or a missing context, asks for a protected environment's name
/// (unless `yes`) when the command changes the cluster, and returns the kubectl to use,
/// with `--context` set.
enum EnvironmentsGuard {
    static func kubectl(
        global: GlobalOptions, cluster: ClusterOptions, changesCluster: Bool, yes: Bool, context: CommandContext
    ) async throws(SecretctlError) -> (Kubectl, DeploymentTarget) {
        let locator = ProjectLocator(environment: context.environment)
        let target = try DeploymentTarget.resolve(
            environment: try locator.environmentName(option: global.env), projectRoot: locator.projectRoot, contextOption: cluster.context)
        let runner = try ProcessKubectlRunner(environment: context.environment)
        if target.definition != nil { try await target.checkContextExists(runner: runner) }
        if changesCluster {
            try target.confirm(yes: yes) { (prompt) throws(SecretctlError) in try context.prompter.readSecret(prompt: prompt) }
        }
        return (Kubectl(runner: runner, context: target.context), target)
    }
}
