import Foundation
import SecretctlCore
import Testing

/// `secretctl doctor`'s cluster checks against a live Secret.
@Suite(.enabled(if: TestCluster.isAvailable, TestCluster.skipReason), .timeLimit(.minutes(5)))
struct ClusterDoctorTests {
    @Test func reportsTheLastAppliedAnnotationOnTheLiveSecretAndItsAbsence() async throws {
        let namespace = try ClusterNamespace()
        let sandbox = try TestSandbox()
        try await sandbox.clusterProject(namespace)
        let plain = try kubectl(["apply", "-f", "-"], stdin: try await sandbox.rendered())
        try #require(plain.status == 0, "\(plain.stderr)")

        let flagged = await sandbox.run(["doctor", "--json"])
        #expect(flagged.code == 1, "doctor: \(flagged.stdoutText)\n\(flagged.stderr)")
        let checks = try #require(try JSONSerialization.jsonObject(with: Data(flagged.stdout)) as? [String: Any])["checks"] as? [[String: Any]]
        let cluster = try #require(checks?.filter { $0["area"] as? String == "cluster" })
        #expect(cluster.contains { ($0["status"] as? String) == "attention" && ($0["message"] as? String)?.contains("last-applied-configuration") == true },
            "no attention for the annotation: \(cluster)")

        await sandbox.run(["apply"]).expectSuccess()
        let clean = await sandbox.run(["doctor", "--json"])
        let after = try #require(try JSONSerialization.jsonObject(with: Data(clean.stdout)) as? [String: Any])["checks"] as? [[String: Any]]
        let clusterAfter = try #require(after?.filter { $0["area"] as? String == "cluster" })
        #expect(!clusterAfter.isEmpty)
        #expect(clusterAfter.allSatisfy { ($0["status"] as? String) == "ok" }, "still flagged: \(clusterAfter)")
        try sandbox.expectNoValueAnywhere([flagged.stdoutText, flagged.stderr, clean.stdoutText, clean.stderr])
    }
}
