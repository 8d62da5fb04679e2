import Foundation
import SecretctlCore
import Testing

/// `doctor` reports a vault it cannot open, or one that fails its integrity check, first,
/// and never says "all well" then.
struct DoctorUnlockTests {
    static func project() async throws -> (TestSandbox, KubeRecorder) {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("API_KEY", "a-value-doctor-cannot-see")
        let kubectl = try KubeRecorder(in: sandbox)
        try kubectl.respond(to: "config", stdout: "minikube\n")
        return (sandbox, kubectl)
    }

    static func firstCheck(_ result: CLIResult) -> String {
        result.stdoutText.split(separator: "\n").first.map(String.init) ?? ""
    }

    @Test func aVaultThatOpensIsReportedOk() async throws {
        let (sandbox, kubectl) = try await Self.project()
        let result = await sandbox.run(["doctor"], environment: kubectl.environment)
        #expect(Self.firstCheck(result).hasPrefix("ok") && Self.firstCheck(result).contains("opens"), "\(result.stdoutText)")
    }

    @Test func aMissingKeyFileIsALockOutReportedFirst() async throws {
        let (sandbox, kubectl) = try await Self.project()
        try sandbox.move(try sandbox.keyFile(), to: sandbox.root + "/lost.key")
        let result = await sandbox.run(["doctor"], environment: kubectl.environment)
        #expect(result.code == 1, "\(result.stdoutText)\n\(result.stderr)")
        #expect(Self.firstCheck(result).hasPrefix("FIX") && Self.firstCheck(result).contains("LOCKED OUT"), "\(result.stdoutText)")
        #expect(!result.stderr.contains("all well"))
        #expect(!result.stdoutText.contains("passphrase"), "the vault has no passphrase:\n\(result.stdoutText)")
    }

    @Test func aDamagedVaultIsReportedFirst() async throws {
        let (sandbox, kubectl) = try await Self.project()
        let bytes = try sandbox.read(sandbox.vaultPath())
        let middle = (try #require(bytes.dropLast().lastIndex(of: 0x0A)) + bytes.count) / 2
        try sandbox.overwriteByte(sandbox.vaultPath(), at: middle, with: bytes[middle] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A"))
        let result = await sandbox.run(["doctor"], environment: kubectl.environment)
        #expect(result.code == 1, "\(result.stdoutText)\n\(result.stderr)")
        #expect(Self.firstCheck(result).hasPrefix("FIX") && Self.firstCheck(result).contains("damaged"), "\(result.stdoutText)")
        #expect(result.stdoutText.contains("restore"), "\(result.stdoutText)")
    }

    @Test func aPassphraseOnlyVaultIsNotALockOut() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(["--passphrase-only", "--scrypt-work-factor", "10"], environment: ["SECRETCTL_PASSPHRASE": "a long enough passphrase"])
        let kubectl = try KubeRecorder(in: sandbox)
        try kubectl.respond(to: "config", stdout: "minikube\n")
        let result = await sandbox.run(["doctor"], environment: kubectl.environment)
        #expect(!result.stdoutText.contains("LOCKED OUT"), "\(result.stdoutText)")
        #expect(result.stdoutText.contains("only with its passphrase"), "\(result.stdoutText)")
    }
}
