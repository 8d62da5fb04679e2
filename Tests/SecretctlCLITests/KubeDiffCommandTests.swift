import Foundation
import SecretctlCore
import Testing

/// `secretctl diff`: key names only; 0 equal, 1 different, 2 or more on trouble.
struct KubeDiffCommandTests {
    /// The vault lacks the template's keys: exit 2, not 1 ("different").
    @Test func aRenderRefusalExitsTwo() async throws {
        let sandbox = try TestSandbox()
        let kubectl = try KubeRecorder(in: sandbox)
        try sandbox.copyAppManifests()
        try await sandbox.initVault()
        await sandbox.run(["diff"], environment: kubectl.environment).expectFailure(.trouble, "DATABASE_URL")
        #expect(try kubectl.calls().isEmpty)
    }
}
