import ArgumentParser
import SecretctlCore

/// How secretctl reaches the cluster: kubectl from `KUBECTL` or `PATH`.
struct ClusterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The kubeconfig context to use (kubectl --context).", valueName: "context"))
    var context: String?

    init() {}

    func kubectl(_ commandContext: CommandContext) throws(SecretctlError) -> Kubectl {
        Kubectl(runner: try ProcessKubectlRunner(environment: commandContext.environment), context: context)
    }

    /// For plans only (argument lists): works without kubectl installed.
    func planner(_ commandContext: CommandContext) -> Kubectl {
        do {
            return try kubectl(commandContext)
        } catch {
            return Kubectl(runner: MissingKubectlRunner(error: error), context: context)
        }
    }
}
