import ArgumentParser
import SecretctlCore

struct DiffCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare the vault with the live Secrets, by key name only.",
        discussion: """
            Reads each live Secret with 'kubectl get secret NAME -o json' and compares it with the \
            rendering in memory. Lists keys only in the vault (+), only in the cluster (-), changed \
            (~) and unchanged (=). Never prints a value or a hash of one. Reports the annotation \
            kubectl.kubernetes.io/last-applied-configuration, which holds every value again.

            Exit status: 0 when 'secretctl apply' would change nothing, 1 when something differs, \
            2 or more on trouble (2 where other commands exit 1; 71 when kubectl fails).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var source: RenderOptions
    @OptionGroup var cluster: ClusterOptions

    func run(in context: CommandContext) async throws -> Int32 {
        do {
            return try await compare(context)
        } catch where error.code == .failure {
            throw SecretctlError(.trouble, error.message, hint: error.hint)
        }
    }

    private func compare(_ context: CommandContext) async throws(SecretctlError) -> Int32 {
        // secrets/environments.yaml may bind --env to a context, namespace and template.
        var source = self.source
        let kubectl = try await EnvironmentsGuard.kubectl(
            global: global, source: &source, cluster: cluster, changesCluster: false, yes: false, context: context)
        let store = try global.store(context)
        let vault = try store.open()
        let secrets = try source.render(vault.contents, context)
        var comparisons: [SecretComparison] = []
        for secret in secrets {
            let live = try await kubectl.getSecret(name: secret.manifest.name, namespace: secret.manifest.namespace)
            comparisons.append(SecretComparison(secret, live: live))
        }
        context.stdout.write(comparisons.map(Self.describe).joined())
        if comparisons.contains(where: \.hasLastAppliedConfiguration) {
            context.hint("'secretctl apply' removes the annotation; rotate the values if others can read the Secret's annotations")
        }
        return comparisons.allSatisfy(\.isEqual) ? 0 : 1
    }

    static func describe(_ comparison: SecretComparison) -> String {
        let state = !comparison.existsInCluster ? "not in the cluster" : comparison.isEqual ? "up to date" : "different"
        var lines = ["\(comparison.secret): \(state)"]
        let groups: [(String, [String], String)] = [
            ("+", comparison.onlyInVault, "only in the vault"),
            ("-", comparison.onlyInCluster, "only in the cluster"),
            ("~", comparison.changed, "changed"),
            ("=", comparison.unchanged, "unchanged"),
        ]
        let width = groups.flatMap(\.1).map(\.count).max() ?? 0
        for (mark, keys, meaning) in groups {
            for key in keys {
                lines.append("  \(mark) \(key)\(String(repeating: " ", count: width - key.count))  \(meaning)")
            }
        }
        if comparison.hasLastAppliedConfiguration {
            lines.append("  ! annotation \(LiveSecret.lastAppliedAnnotation) holds a copy of every value "
                + "(left by a client-side 'kubectl apply')")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
