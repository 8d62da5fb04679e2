import Foundation
import SecretctlCore
import Testing

/// Finding the workloads a rotation must restart.
struct KubeWorkloadTests {
    static let backend = Workload(kind: .deployment, name: "todo-backend", namespace: "todo-app")
    static let frontend = Workload(kind: .deployment, name: "todo-frontend", namespace: "todo-app")

    @Test(arguments: [
        ("OPENAI_API_KEY", [backend]),
        ("DATABASE_URL", [backend, frontend]),
        ("BETTER_AUTH_SECRETS", [backend, frontend]),
        ("NOT_USED", []),
    ])
    func theAppsDeploymentsReadTheirKeys(key: String, expected: [Workload]) throws {
        let found = try WorkloadFinder.consumers(ofSecret: "todo-secrets", namespace: "todo-app", keys: [key], inDirectory: KubeTestTools.k8s)
        #expect(found == expected)
    }

    @Test func everyWayOfReadingASecretCounts() throws {
        let folder = try KubeTestTools.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let manifests = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: by-envfrom, namespace: app}
            spec:
              template:
                spec:
                  containers: [{name: c, envFrom: [{secretRef: {name: creds}}]}]
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: by-volume, namespace: app}
            spec:
              template:
                spec:
                  containers: [{name: c}]
                  volumes: [{name: v, secret: {secretName: creds}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: by-projected-item, namespace: app}
            spec:
              template:
                spec:
                  containers: [{name: c}]
                  volumes: [{name: v, projected: {sources: [{secret: {name: creds, items: [{key: TOKEN, path: t}]}}]}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: by-init-container}
            spec:
              template:
                spec:
                  initContainers: [{name: i, env: [{name: T, valueFrom: {secretKeyRef: {name: creds, key: TOKEN}}}]}]
                  containers: [{name: c}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: other-item, namespace: app}
            spec:
              template:
                spec:
                  containers: [{name: c}]
                  volumes: [{name: v, secret: {secretName: creds, items: [{key: OTHER, path: o}]}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: other-namespace, namespace: elsewhere}
            spec:
              template:
                spec:
                  containers: [{name: c, envFrom: [{secretRef: {name: creds}}]}]
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: not-restartable, namespace: app}
            spec:
              template:
                spec:
                  containers: [{name: c, envFrom: [{secretRef: {name: creds}}]}]
            """
        try manifests.write(toFile: folder + "/workloads.yml", atomically: true, encoding: .utf8)
        try "not: [yaml".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        let found = try WorkloadFinder.consumers(ofSecret: "creds", namespace: "app", keys: ["TOKEN"], inDirectory: folder)
        #expect(found.map(\.displayName) == [
            "statefulset/by-envfrom -n app",
            "daemonset/by-volume -n app",
            "deployment/by-projected-item -n app",
            "deployment/by-init-container -n app",
        ])
    }

    @Test func aBrokenManifestIsAnErrorNamingTheFile() throws {
        let folder = try KubeTestTools.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "kind: Deployment\nmetadata: [unclosed\n".write(toFile: folder + "/bad.yaml", atomically: true, encoding: .utf8)
        let error = try #require(throws: SecretctlError.self) {
            try WorkloadFinder.consumers(ofSecret: "s", namespace: nil, keys: ["A"], inDirectory: folder)
        }
        #expect(error.message.contains("bad.yaml"))
        #expect(throws: SecretctlError.self) {
            try WorkloadFinder.consumers(ofSecret: "s", namespace: nil, keys: ["A"], inDirectory: folder + "/missing")
        }
    }
}
