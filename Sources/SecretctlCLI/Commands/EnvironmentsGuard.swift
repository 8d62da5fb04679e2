import SecretctlCore
import SecretctlCrypto

/// The one call `apply`, `diff` and `rotate --apply` make before rendering and before
/// talking to a cluster. With secrets/environments.yaml it:
/// - resolves the environment (`--env`, `SECRETCTL_ENV`, `dev`) to its context, refusing an
///   undeclared environment or a `--context` that contradicts the file;
/// - fills a missing `--namespace` / `--template` from the file;
/// - refuses a context kubeconfig does not have (`kubectl config get-contexts -o name`);
/// - when `changesCluster`, asks for a protected environment's name unless `yes`;
/// and returns the kubectl to use, `--context` set. Without the file it returns what
/// `ClusterOptions.kubectl` would, and asks nothing.
///
/// Use (before the vault is opened for writing and before `source.render`):
///
///     var source = self.source
///     let kubectl = try await EnvironmentsGuard.kubectl(
///         global: global, source: &source, cluster: cluster, changesCluster: !dryRun, yes: yes, context: context)
enum EnvironmentsGuard {
    static func kubectl(
        global: GlobalOptions, source: inout RenderOptions, cluster: ClusterOptions, changesCluster: Bool, yes: Bool,
        context: CommandContext
    ) async throws(SecretctlError) -> Kubectl {
        let target = try Self.target(global: global, source: &source, contextOption: cluster.context, context: context)
        let runner = try ProcessKubectlRunner(environment: context.environment)
        if target.definition != nil { try await target.checkContextExists(runner: runner) }
        if changesCluster {
            try target.confirm(yes: yes) { (prompt) throws(SecretctlError) in try context.prompter.readSecret(prompt: prompt) }
        }
        return Kubectl(runner: runner, context: target.context)
    }

    /// The environment's target, with a missing `--namespace` / `--template` filled from
    /// secrets/environments.yaml. `render` uses it alone (it talks to no cluster), so that
    /// `secretctl render | kubectl apply` sends what `secretctl apply` sends.
    static func target(
        global: GlobalOptions, source: inout RenderOptions, contextOption: String?, context: CommandContext
    ) throws(SecretctlError) -> DeploymentTarget {
        let locator = ProjectLocator(environment: context.environment)
        let root = locator.projectRoot
        let target = try DeploymentTarget.resolve(
            environment: try locator.environmentName(option: global.env), projectRoot: root, contextOption: contextOption)
        if source.namespace == nil { source.namespace = target.namespace }
        if source.template == nil, !source.all, let template = target.template { source.template = Path.join(root, template) }
        return target
    }
}
