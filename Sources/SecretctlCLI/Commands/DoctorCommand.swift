import ArgumentParser
import SecretctlCore

struct DoctorCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check where secrets leak or lock you out, and say how to fix each problem.",
        discussion: """
            Checks: vault and key file permissions; that .gitignore covers key files, dotenv files and vault temp files, and that none is tracked; that Secret templates hold no values; that the guard pre-commit hook is installed; the current kubectl context; and, when the cluster answers, whether a live Secret still carries the kubectl.kubernetes.io/last-applied-configuration annotation (a copy of every value).

            Changes nothing. Exit status: 0 all well, 1 something needs attention.
            """)

    @Option(help: "A Secret template to check (repeatable; default: k8s/secret.yaml and those in secrets/environments.yaml).")
    var template: [String] = []

    @Flag(help: "Print JSON.")
    var json = false

    func run(in context: CommandContext) async throws -> Int32 {
        let kubectl: (any KubectlRunner)? = try? ProcessKubectlRunner(environment: context.environment)
        let doctor = Doctor(
            environment: context.environment, prompter: context.prompter, kubectl: kubectl,
            templates: template.isEmpty ? nil : template.map { context.environment.path($0) })
        let checks = await doctor.run()
        let attention = checks.filter { $0.status == .attention }
        if json {
            let items = checks.map { check in
                "{\"status\":\(JSONText.quote(check.status.rawValue)),\"area\":\(JSONText.quote(check.area)),"
                    + "\"message\":\(JSONText.quote(check.message)),\"fix\":\(check.fix.map(JSONText.quote) ?? "null")}"
            }
            context.stdout.write("{\"ok\":\(attention.isEmpty),\"checks\":[\(items.joined(separator: ","))]}\n")
        } else {
            var text = ""
            for check in checks {
                let tag: String
                switch check.status {
                case .ok: tag = "ok  "
                case .attention: tag = "FIX "
                case .info: tag = "info"
                }
                text += "\(tag)  \(check.area): \(check.message)\n"
                if let fix = check.fix, check.status == .attention { text += "      fix: \(fix)\n" }
            }
            context.stdout.write(text)
            if attention.isEmpty {
                context.note("all well")
            } else {
                context.note("\(attention.count) \(attention.count == 1 ? "thing needs" : "things need") attention")
            }
        }
        return attention.isEmpty ? 0 : 1
    }
}
