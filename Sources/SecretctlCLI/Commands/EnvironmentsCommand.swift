import ArgumentParser
import SecretctlCore

struct EnvironmentsCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "environments",
        abstract: "List the environments of secrets/environments.yaml and the cluster each is bound to.",
        discussion: """
            secrets/environments.yaml (committed, no values) binds each environment to a kubeconfig \
            context, and optionally a namespace, a Secret template and protection:

              environments:
                dev:
                  context: minikube
                  namespace: todo-dev
                prod:
                  context: prod-eks
                  namespace: todo
                  template: k8s/secret.yaml
                  protected: true

            With the file, apply, diff and rotate --apply always pass --context, refuse an environment \
            the file does not declare and a context kubeconfig does not have, and for a protected \
            environment ask you to type its name before changing the cluster (--yes in CI).
            """)

    func run(in context: CommandContext) async throws -> Int32 {
        let root = ProjectLocator(environment: context.environment).projectRoot
        guard let file = try EnvironmentsFile.load(projectRoot: root) else {
            context.note("no \(EnvironmentsFile.path(projectRoot: root)): cluster commands use kubectl's current context or --context")
            context.hint("declare your environments there to bind each to its cluster (see 'secretctl environments --help')")
            return 0
        }
        let width = file.environments.map(\.name.count).max() ?? 0
        var text = ""
        for definition in file.environments {
            text += definition.name + String(repeating: " ", count: width - definition.name.count) + "  context \(definition.context)"
            if let namespace = definition.namespace { text += "  namespace \(namespace)" }
            if let template = definition.template { text += "  template \(template)" }
            if definition.isProtected { text += "  protected" }
            text += "\n"
        }
        context.stdout.write(text)
        return 0
    }
}
