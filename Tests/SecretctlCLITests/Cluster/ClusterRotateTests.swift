import Foundation
import SecretctlCore
import Testing

/// `rotate --apply/--restart` on the Todo app's real Deployments from k8s/, plus a StatefulSet
/// and a DaemonSet, against a real API server and controller manager.
@Suite(.enabled(if: TestCluster.isAvailable, TestCluster.skipReason), .timeLimit(.minutes(5)))
struct ClusterRotateTests {
    /// The workloads `rotate --restart` must find, as (kind, name).
    static let workloads = [
        ("deployment", "todo-backend"), ("deployment", "todo-frontend"),
        ("statefulset", "todo-worker"), ("daemonset", "todo-agent"),
    ]

    /// A StatefulSet reading the whole Secret (envFrom) and a DaemonSet mounting it as a volume.
    private static func extraWorkloads(_ namespace: String) -> String {
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: todo-worker, namespace: \(namespace) }
        spec:
          serviceName: todo-worker
          replicas: 1
          selector: { matchLabels: { app: todo-worker } }
          template:
            metadata: { labels: { app: todo-worker } }
            spec:
              containers:
                - name: worker
                  image: todo-backend:latest
                  envFrom: [{ secretRef: { name: todo-secrets } }]
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: todo-agent, namespace: \(namespace) }
        spec:
          selector: { matchLabels: { app: todo-agent } }
          template:
            metadata: { labels: { app: todo-agent } }
            spec:
              containers:
                - name: agent
                  image: todo-backend:latest
                  volumeMounts: [{ name: secrets, mountPath: /secrets, readOnly: true }]
              volumes: [{ name: secrets, secret: { secretName: todo-secrets } }]

        """
    }

    /// The app's workloads and the extra two, created in the namespace, and the Secret applied.
    private func deployApp(_ sandbox: TestSandbox, _ namespace: ClusterNamespace) async throws {
        try sandbox.writeText(Self.extraWorkloads(namespace.name), to: sandbox.project + "/k8s/workers.yaml")
        for file in ["configmap.yaml", "deployment-backend.yaml", "deployment-frontend.yaml", "workers.yaml"] {
            let created = try kubectl(["apply", "--server-side", "-f", sandbox.project + "/k8s/" + file])
            try #require(created.status == 0, "kubectl apply -f \(file): \(created.stderr)")
        }
        await sandbox.run(["apply"]).expectSuccess()
    }

    @Test(.enabled(if: TestCluster.hasKubeletStandIn, "pods become Ready only with the local kubelet stand-in"))
    func restartsEveryWorkloadThatReadsTheKeyAndWaitsForIt() async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        try await deployApp(sandbox, namespace)

        let result = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--restart", "--timeout", "90s"])
        result.expectSuccess()
        let rotated = try await sandbox.get("BETTER_AUTH_SECRET")
        sandbox.remember(rotated)
        #expect(try namespace.secretData()?["BETTER_AUTH_SECRET"] == rotated, "the new value is not live")
        for (kind, name) in Self.workloads {
            #expect(try namespace.restartedAt(kind, name) != nil, "\(kind)/\(name) was not restarted")
        }
        // kubectl's last status line per workload; a StatefulSet's does not name it.
        let completions = result.stdoutText.split(separator: "\n").filter { $0.contains("successfully rolled out") || $0.contains("roll out complete") }
        #expect(completions.count == Self.workloads.count, "not every rollout completed:\n\(result.stdoutText)")
        try sandbox.expectNoValueAnywhere([result.stderr, result.stdoutText])
    }

    /// Pods that never become Ready: every workload is still restarted and waited for, all
    /// within one --timeout, and the error names each one and says the Secret is live.
    @Test func rolloutsThatNeverFinishAreAllWaitedForAndNamed() async throws {
        let namespace = try ClusterNamespace(kubelet: false)
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        try await deployApp(sandbox, namespace)

        let result = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--restart", "--timeout", "15s"])
        #expect(result.code == ExitCode.system.rawValue, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "stdout must stay empty on failure: \(result.stdoutText)")
        #expect(result.errorMessage?.contains("did not finish") == true, "\(result.stderr)")
        #expect(result.hints.contains { $0.contains("the Secret is live") }, "\(result.stderr)")
        // Waited for together: every `rollout status` started before the first could time out
        // (one after the other, each would start 15 s or more after the one before).
        let waits = try sandbox.kubectlCalls().filter { call in zip(call.arguments, call.arguments.dropFirst()).contains { $0 == ("rollout", "status") } }.map(\.start)
        #expect(waits.count == Self.workloads.count, "one rollout status per workload")
        #expect((waits.max() ?? 0) - (waits.min() ?? 0) < 15, "the rollouts were waited for one after the other: \(waits)")
        let rotated = try await sandbox.get("BETTER_AUTH_SECRET")
        sandbox.remember(rotated)
        #expect(try namespace.secretData()?["BETTER_AUTH_SECRET"] == rotated)
        // Without the stand-in's Node, no DaemonSet pod is due, so its rollout is trivially complete.
        for (kind, name) in Self.workloads where kind != "daemonset" || TestCluster.hasKubeletStandIn {
            #expect(try namespace.restartedAt(kind, name) != nil, "\(kind)/\(name) was not restarted")
            #expect(result.errorMessage?.contains(name) == true, "\(name) is not named:\n\(result.stderr)")
        }
        #expect(result.hints.contains { $0.contains("rollout status") }, "no way on:\n\(result.stderr)")
        #expect(!result.hints.contains { $0.contains("run 'secretctl apply' again") }, "told to re-apply a live Secret:\n\(result.stderr)")
        try sandbox.expectNoValueAnywhere([result.stderr])
    }

    /// --apply delivers the new value and restarts nothing; a failed apply (here, a namespace
    /// that does not exist) says the vault already changed and how to finish or go back.
    @Test func applyAloneDeliversTheValueAndAFailedApplySaysHowToFinish() async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        try await deployApp(sandbox, namespace)

        let applied = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--apply"])
        applied.expectSuccess()
        let rotated = try await sandbox.get("BETTER_AUTH_SECRET")
        sandbox.remember(rotated)
        #expect(try namespace.secretData()?["BETTER_AUTH_SECRET"] == rotated)
        #expect(try namespace.restartedAt("deployment", "todo-backend") == nil, "--apply restarted a workload")
        #expect(applied.hints.contains { $0.contains("--restart") })

        let failed = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--restart", "--namespace", namespace.name + "-gone"])
        #expect(failed.code == ExitCode.system.rawValue, "\(failed.stderr)")
        #expect(failed.stdout.isEmpty)
        #expect(failed.errorMessage?.contains("kubectl apply failed") == true, "\(failed.stderr)")
        #expect(failed.hints.contains { $0.contains("secretctl rollback BETTER_AUTH_SECRET") }, "\(failed.stderr)")
        sandbox.remember(try await sandbox.get("BETTER_AUTH_SECRET"))
        #expect(try namespace.restartedAt("deployment", "todo-backend") == nil, "restarted after a failed apply")
        try sandbox.expectNoValueAnywhere([applied.stderr, failed.stderr])
    }

    /// Better Auth's versioned list: the Deployments read BETTER_AUTH_SECRETS and restart.
    @Test(.enabled(if: TestCluster.hasKubeletStandIn, "pods become Ready only with the local kubelet stand-in"))
    func keepPreviousDeliversTheVersionedList() async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        try await deployApp(sandbox, namespace)
        let original = try await sandbox.get("BETTER_AUTH_SECRET")

        let result = await sandbox.run(["rotate", "BETTER_AUTH_SECRET", "--keep-previous", "--restart", "--timeout", "90s"])
        result.expectSuccess()
        let list = try await sandbox.get("BETTER_AUTH_SECRETS")
        sandbox.remember(list)
        let live = try #require(try namespace.secretData())
        #expect(live["BETTER_AUTH_SECRETS"] == list)
        #expect(live["BETTER_AUTH_SECRET"] == original, "BETTER_AUTH_SECRET must stay for data from before the list")
        let text = String(decoding: list, as: UTF8.self)
        #expect(text.hasPrefix("2:") && text.hasSuffix(",1:" + String(decoding: original, as: UTF8.self)), "not '2:new,1:old'")
        for name in ["todo-backend", "todo-frontend"] {
            #expect(try namespace.restartedAt("deployment", name) != nil, "\(name) was not restarted")
        }
        try sandbox.expectNoValueAnywhere([result.stderr, result.stdoutText])
    }
}
