import Foundation
import SecretctlCore
import Testing

/// `secretctl apply` against a real API server, through the real kubectl.
@Suite(.enabled(if: TestCluster.isAvailable, TestCluster.skipReason), .timeLimit(.minutes(5)))
struct ClusterApplyTests {

    @Test func appliesOnAnEmptyNamespaceThenChangesNothingThenDeliversASet() async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)

        let dryRun = await sandbox.run(["apply", "--dry-run"])
        dryRun.expectSuccess()
        #expect(try namespace.secretData() == nil, "--dry-run created the Secret")

        let first = await sandbox.run(["apply"])
        first.expectSuccess()
        #expect(first.stdoutText.contains("secret/todo-secrets serverside-applied"))
        #expect(try namespace.secretData() == (try await sandbox.appValues()))
        #expect(try namespace.secretAnnotations()[LiveSecret.lastAppliedAnnotation] == nil)
        let managers = try #require(try namespace.object("secret", "todo-secrets")?["metadata"] as? [String: Any])["managedFields"] as? [[String: Any]]
        #expect(managers?.contains { $0["manager"] as? String == "secretctl" && $0["operation"] as? String == "Apply" } == true,
            "not a server-side apply by the field manager secretctl: \(String(describing: managers))")
        let version = try #require(try namespace.object("secret", "todo-secrets")?["metadata"] as? [String: Any])["resourceVersion"] as? String

        let again = await sandbox.run(["apply"])
        again.expectSuccess()
        let unchanged = try #require(try namespace.object("secret", "todo-secrets")?["metadata"] as? [String: Any])["resourceVersion"] as? String
        #expect(unchanged == version, "an apply of the same values changed the Secret")

        try await sandbox.set("OPENAI_API_KEY", "sk-proj-cluster-test-rotated-9876543210")
        let dryChange = await sandbox.run(["apply", "--dry-run"])
        dryChange.expectSuccess()
        #expect(try namespace.secretData()?["OPENAI_API_KEY"] == Array("sk-proj-cluster-test-0123456789".utf8), "--dry-run changed a value")
        let changed = await sandbox.run(["apply"])
        changed.expectSuccess()
        #expect(try namespace.secretData() == (try await sandbox.appValues()))
        try sandbox.expectNoValueAnywhere([dryRun.stderr, first.stderr, again.stderr, dryChange.stderr, changed.stderr])
    }

    enum ClientSideApply: String, CaseIterable, Sendable {
        /// `kubectl apply -f k8s/secret.yaml` of an old template whose values are "".
        case emptyTemplate
        /// `secretctl render | kubectl apply -f -`: every value lands in the annotation.
        case renderedManifest
    }

    /// The seed's habit, a plain `kubectl apply`, before or after secretctl's own apply, then a
    /// changed value (as any rotation makes): a plain `secretctl apply` takes the keys over from
    /// `kubectl-client-side-apply`, removes the annotation and names the values that sat in it.
    @Test(arguments: ClientSideApply.allCases, [false, true])
    func recoversFromAClientSideApply(_ habit: ClientSideApply, secretctlFirst: Bool) async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        if secretctlFirst { await sandbox.run(["apply"]).expectSuccess() }

        let manifest: [UInt8]
        switch habit {
        case .emptyTemplate:
            manifest = Array("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: todo-secrets
                  namespace: \(namespace.name)
                type: Opaque
                data:
                  DATABASE_URL: ""
                  OPENAI_API_KEY: ""
                  BETTER_AUTH_SECRET: ""

                """.utf8)
        case .renderedManifest:
            manifest = try await sandbox.rendered()
        }
        let plain = try kubectl(["apply", "-f", "-"], stdin: manifest)
        try #require(plain.status == 0, "kubectl apply failed: \(plain.stderr)")
        #expect(try namespace.secretAnnotations()[LiveSecret.lastAppliedAnnotation] != nil)

        try await sandbox.set("OPENAI_API_KEY", "sk-proj-cluster-test-changed-5555555555")
        let dryRun = await sandbox.run(["apply", "--dry-run"])
        dryRun.expectSuccess()
        #expect(dryRun.stderr.contains("dry run: would remove the annotation"), "\(dryRun.stderr)")
        #expect(try namespace.secretAnnotations()[LiveSecret.lastAppliedAnnotation] != nil, "--dry-run removed the annotation")
        let result = await sandbox.run(["apply"])
        result.expectSuccess()
        #expect(try namespace.secretData() == (try await sandbox.appValues()), "the vault's values are not live")
        #expect(try namespace.secretAnnotations()[LiveSecret.lastAppliedAnnotation] == nil, "the annotation stayed")
        // A client-side apply that changed no value takes no field (managedFields record changes
        // only), so only the other cases leave kubectl-client-side-apply owning keys.
        if habit == .emptyTemplate || !secretctlFirst {
            #expect(result.stderr.contains("took over"), "the take-over was not said:\n\(result.stderr)")
        }
        switch habit {
        case .emptyTemplate:
            #expect(result.hints.allSatisfy { !$0.contains("rotate") }, "no value sat in the annotation, yet a rotation was asked:\n\(result.stderr)")
        case .renderedManifest:
            let hint = try #require(result.hints.first { $0.contains("rotate") }, "no hint to rotate:\n\(result.stderr)")
            for key in TestSandbox.appKeys { #expect(hint.contains(key), "the hint does not name \(key): \(hint)") }
        }
        try sandbox.expectNoValueAnywhere([result.stderr, result.stdoutText])
    }

    /// Keys owned by another field manager are not taken silently: --force-conflicts is needed,
    /// and the hint names the manager.
    @Test func aConflictWithAnotherFieldManagerNeedsForceConflicts() async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        await sandbox.run(["apply"]).expectSuccess()
        let otherValue = "value-owned-by-another-tool-424242"
        sandbox.remember(Array(otherValue.utf8))
        let other = try kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager=other-tool", "-f", "-"], stdin: Array("""
            apiVersion: v1
            kind: Secret
            metadata: { name: todo-secrets, namespace: \(namespace.name) }
            data: { OPENAI_API_KEY: \(Data(otherValue.utf8).base64EncodedString()) }

            """.utf8))
        try #require(other.status == 0, "kubectl apply failed: \(other.stderr)")

        try await sandbox.set("OPENAI_API_KEY", "sk-proj-cluster-test-changed-6666666666")
        let refused = await sandbox.run(["apply"])
        refused.expectFailure(.system, "conflict", hint: "'other-tool'")
        #expect(refused.hints.contains { $0.contains("--force-conflicts") })
        #expect(try namespace.secretData()?["OPENAI_API_KEY"] == Array(otherValue.utf8), "a refused apply changed the Secret")

        let forced = await sandbox.run(["apply", "--force-conflicts"])
        forced.expectSuccess()
        #expect(try namespace.secretData() == (try await sandbox.appValues()))
        try sandbox.expectNoValueAnywhere([refused.stderr, forced.stderr])
    }
}
