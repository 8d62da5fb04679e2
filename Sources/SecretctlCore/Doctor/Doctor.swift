/// `secretctl doctor`: checks the places where secrets usually leak or lock people out,
/// and says how to fix each. Reads files and asks git and kubectl; changes nothing.
package struct Doctor: Sendable {
    package var environment: ProcessEnvironment
    package var prompter: any SecretPrompter
    /// kubectl, or nil when it is not installed (the cluster checks then say so).
    package var kubectl: (any KubectlRunner)?
    /// The Secret templates to check (default: `k8s/secret.yaml` under the project root).
    package var templates: [String]?

    package init(environment: ProcessEnvironment, prompter: any SecretPrompter, kubectl: (any KubectlRunner)?, templates: [String]? = nil) {
        self.environment = environment
        self.prompter = prompter
        self.kubectl = kubectl
        self.templates = templates
    }

    var projectRoot: String { ProjectLocator(environment: environment).projectRoot }

    /// Runs every check in order: files first, the cluster last.
    package func run() async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let vaults = VaultNeedleLoader(environment: environment, prompter: prompter).discover(projectRoot: projectRoot)
        checks += unlockChecks(vaults)
        checks += vaultChecks(vaults)
        checks += keyChecks(vaults)
        let repository = try? await GitRepository.find(from: projectRoot, git: GitRunner(environment: environment))
        if let repository {
            checks += await gitignoreChecks(repository)
            checks += await guardChecks(projectRoot: projectRoot)
        } else {
            checks.append(DoctorCheck(.info, "git", "\(projectRoot) is not in a git repository: the .gitignore and guard checks were skipped"))
        }
        let manifests = templateChecks()
        checks += manifests.checks
        checks += await clusterChecks(secrets: manifests.secrets)
        return checks
    }
}
