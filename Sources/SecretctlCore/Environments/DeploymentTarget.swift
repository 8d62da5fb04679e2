package import SecretctlCrypto

/// Where a cluster command (`apply`, `diff`, `rotate --apply`) sends an environment's
/// Secrets, and the checks that keep a value of one environment out of another's cluster.
///
/// With `secrets/environments.yaml` present, every cluster command:
/// 1. resolves the environment's context (an undeclared environment, or a `--context` that
///    contradicts the file, is refused),
/// 2. passes `--context` to every kubectl call,
/// 3. refuses a context kubeconfig does not have (`kubectl config get-contexts -o name`),
/// 4. for a protected environment, before changing anything, asks for its name to be typed
///    (or takes `--yes`).
/// Without the file, nothing changes: the `--context` given (if any) is used as is.
package struct DeploymentTarget: Equatable, Sendable {
    /// The environment name (`--env`, `SECRETCTL_ENV`, or `dev`).
    package var environment: String
    /// Its declaration, when `secrets/environments.yaml` exists.
    package var definition: EnvironmentDefinition?
    /// The context for `kubectl --context` (nil: kubectl's current context, only without the file).
    package var context: String?

    package init(environment: String, definition: EnvironmentDefinition?, context: String?) {
        self.environment = environment
        self.definition = definition
        self.context = context
    }

    package var isProtected: Bool { definition?.isProtected ?? false }
    /// The namespace the file fixes for this environment, for a missing `--namespace`.
    package var namespace: String? { definition?.namespace }
    /// The template the file names (relative to the project root), for a missing `--template`.
    package var template: String? { definition?.template }

    // MARK: - Resolving

    /// The target for `environment` under `projectRoot`, with the `--context` option if given.
    package static func resolve(
        environment: String, projectRoot: String, contextOption: String?
    ) throws(SecretctlError) -> DeploymentTarget {
        guard let file = try EnvironmentsFile.load(projectRoot: projectRoot) else {
            return DeploymentTarget(environment: environment, definition: nil, context: contextOption)
        }
        let path = EnvironmentsFile.path(projectRoot: projectRoot)
        guard let definition = file[environment] else {
            throw SecretctlError(
                .usage, "environment '\(environment)' is not declared in \(path), so secretctl does not know which cluster it belongs to",
                hint: "declared: \(file.environments.map(\.name).joined(separator: ", ")); add '\(environment):' with its context there, or pass --env")
        }
        if let contextOption, contextOption != definition.context {
            throw SecretctlError(
                .usage, "environment '\(environment)' is bound to context '\(definition.context)' in \(path); --context \(contextOption) contradicts it",
                hint: "drop --context, or pick the environment that belongs to \(contextOption) with --env")
        }
        return DeploymentTarget(environment: environment, definition: definition, context: definition.context)
    }

    // MARK: - Checks

    /// `kubectl config get-contexts -o name`: the contexts kubeconfig defines.
    package static let contextListArguments = ["config", "get-contexts", "-o", "name"]

    /// Refuses a context kubeconfig does not define (no cluster is contacted).
    package func checkContextExists(runner: any KubectlRunner) async throws(SecretctlError) {
        guard let context else { return }
        let result = try await runner.run(Self.contextListArguments, input: nil)
        guard result.succeeded else {
            let reason = result.stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(result.status)"
            throw SecretctlError(.system, "cannot list kubeconfig contexts: \(reason)")
        }
        let available = result.stdoutText.split(separator: "\n").map { String($0).trimmingCharacters() }
        guard available.contains(context) else {
            throw SecretctlError(
                .failure, "kubeconfig has no context '\(context)' (environment '\(environment)'); nothing was sent to any cluster",
                hint: available.isEmpty ? "kubeconfig defines no context at all" : "contexts: \(available.joined(separator: ", "))")
        }
    }

    /// For a protected environment: `yes`, or the name typed at `ask`'s prompt (nil: no terminal).
    package func confirm(yes: Bool, ask: (String) throws(SecretctlError) -> SecureBytes?) throws(SecretctlError) {
        guard isProtected, !yes else { return }
        let prompt = "'\(environment)' is protected (context \(context ?? "?")). Type its name to go on: "
        guard let typed = try ask(prompt) else {
            throw SecretctlError(.usage, "'\(environment)' is a protected environment and there is no terminal to confirm on; nothing was changed",
                hint: "pass --yes (in CI) once you are sure this is the cluster you mean")
        }
        guard typed.equals(Array(environment.utf8)) else {
            throw SecretctlError(.failure, "the name typed does not match '\(environment)'; nothing was changed")
        }
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
