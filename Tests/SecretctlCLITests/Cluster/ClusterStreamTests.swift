import Foundation
import SecretctlCore
import Testing

/// The whole k8s/ folder: `secretctl apply -f k8s/`, the habitual raw `kubectl apply -f k8s/`,
/// and streams from kustomize, against a real API server.
@Suite(.enabled(if: TestCluster.isAvailable, TestCluster.skipReason), .timeLimit(.minutes(5)))
struct ClusterStreamTests {

    /// The report lines of `apply -f`, as `kind/name state`.
    private func states(_ result: CLIResult) -> [String: String] {
        var states: [String: String] = [:]
        for line in result.stdoutText.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count >= 2, words[0].contains("/") { states[String(words[0])] = String(words[words.count - 1]) }
        }
        return states
    }

    @Test func bringsTheAppUpFromNothingThenReportsEverythingUnchanged() async throws {
        let namespace = try ClusterNamespace(create: false)
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)

        let dryRun = await sandbox.run(["apply", "-f", "k8s/", "--dry-run"])
        dryRun.expectSuccess()
        #expect(try kubectl(["get", "namespace", namespace.name]).status != 0, "--dry-run created the namespace")

        let first = await sandbox.run(["apply", "-f", "k8s/"])
        first.expectSuccess()
        let created = states(first)
        #expect(created.count == 8, "one line per object:\n\(first.stdoutText)")
        #expect(created.values.allSatisfy { $0 == "created" }, "\(first.stdoutText)")
        #expect(first.stdoutText.hasPrefix("namespace/\(namespace.name) created"), "the Namespace goes first:\n\(first.stdoutText)")
        #expect(try namespace.secretData() == (try await sandbox.appValues()))
        #expect(try namespace.object("deployment", "todo-backend") != nil)

        let again = await sandbox.run(["apply", "-f", "k8s/"])
        again.expectSuccess()
        #expect(states(again).values.allSatisfy { $0 == "unchanged" }, "a second run changed something:\n\(again.stdoutText)")
        try sandbox.expectNoValueAnywhere([dryRun.stderr, first.stderr, again.stderr, first.stdoutText])
    }

    /// The seed's habit after a secretctl apply: the raw client-side apply of the folder is
    /// refused for the Secret (references are not base64) and every live value stays.
    @Test func aRawKubectlApplyOfTheFolderLeavesEveryLiveValue() async throws {
        let namespace = try ClusterNamespace(create: false)
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        await sandbox.run(["apply", "-f", "k8s/"]).expectSuccess()
        let live = try await sandbox.appValues()

        let raw = try kubectl(["apply", "-f", sandbox.project + "/k8s/"])
        #expect(raw.status != 0, "the raw apply of the template must fail")
        #expect(raw.stderr.contains("illegal base64 data"), "\(raw.stderr)")
        #expect(try namespace.secretData() == live, "a raw kubectl apply changed the live values")
        for server in [["--server-side"], []] {
            let file = try kubectl(["apply"] + server + ["-f", sandbox.project + "/k8s/secret.yaml"])
            #expect(file.status != 0)
            #expect(try namespace.secretData() == live)
        }
        let diff = await sandbox.run(["diff"])
        #expect(diff.code == 0, "\(diff.stdoutText)")
    }

    @Test func kustomizeOutputIsFilledAndApplies() async throws {
        let namespace = try ClusterNamespace(create: false)
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        try sandbox.writeText("""
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [namespace.yaml, configmap.yaml, secret.yaml]
            labels: [{pairs: {env: dev}}]

            """, to: sandbox.project + "/k8s/kustomization.yaml")
        let kustomized = try kubectl(["kustomize", sandbox.project + "/k8s"])
        try #require(kustomized.status == 0, "\(kustomized.stderr)")
        let rendered = await sandbox.run(["render", "-f", "-"], stdin: Array(kustomized.stdout.utf8))
        rendered.expectSuccess()
        let applied = try kubectl(["apply", "--server-side", "--field-manager=secretctl", "-f", "-"], stdin: rendered.stdout)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try namespace.secretData() == (try await sandbox.appValues()))
        let labels = (try namespace.object("secret", "todo-secrets")?["metadata"] as? [String: Any])?["labels"] as? [String: String]
        #expect(labels?["env"] == "dev", "kustomize's label is lost")
        try sandbox.expectNoValueAnywhere([rendered.stderr, applied.stderr, applied.stdout], kubectlCalled: false)
    }

    /// --restart-changed restarts what reads a changed key, and nothing else.
    @Test(.enabled(if: TestCluster.hasKubeletStandIn, "pods become Ready only with the local kubelet stand-in"))
    func restartChangedRestartsOnlyTheReadersOfAChangedValue() async throws {
        let namespace = try ClusterNamespace(create: false)
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        await sandbox.run(["apply", "-f", "k8s/"]).expectSuccess()

        let nothing = await sandbox.run(["apply", "-f", "k8s/", "--restart-changed"])
        nothing.expectSuccess()
        #expect(try namespace.restartedAt("deployment", "todo-backend") == nil, "restarted with no change")

        try await sandbox.set("OPENAI_API_KEY", "sk-proj-cluster-test-restart-8888888888")
        let changed = await sandbox.run(["apply", "-f", "k8s/", "--restart-changed", "--timeout", "90s"])
        changed.expectSuccess()
        #expect(try namespace.restartedAt("deployment", "todo-backend") != nil, "the backend reads OPENAI_API_KEY")
        #expect(try namespace.restartedAt("deployment", "todo-frontend") == nil, "the frontend does not read OPENAI_API_KEY")
        #expect(changed.stdoutText.contains("successfully rolled out"))
        #expect(try namespace.secretData() == (try await sandbox.appValues()))
        try sandbox.expectNoValueAnywhere([nothing.stderr, changed.stderr])
    }
}
