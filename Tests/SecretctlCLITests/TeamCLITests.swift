import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// `keygen` and `recipients`: two people share one vault, and removing one locks them out.
@Suite("Team: keygen and recipients commands")
struct TeamCLITests {
    /// Runs `keygen` with its own config folder; returns the recipient string and the identity path.
    static func keygen(_ sandbox: TestSandbox, config: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (String, String) {
        let result = await sandbox.run(["keygen"], environment: ["XDG_CONFIG_HOME": config], sourceLocation: sourceLocation)
        try #require(result.code == 0, "keygen failed: \(result.stderr)", sourceLocation: sourceLocation)
        let recipient = String(result.stdoutText.dropLast())
        return (recipient, config + "/secretctl/identity")
    }

    @Test("keygen writes a 0600 identity and prints only the recipient on stdout")
    func keygenWritesIdentity() async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(["keygen"])
        result.expectSuccess()
        let path = sandbox.config + "/secretctl/identity"
        #expect(sandbox.mode(path) == 0o600)
        #expect(sandbox.mode(sandbox.config + "/secretctl") == 0o700)
        let recipient = result.stdoutText
        #expect(recipient.hasPrefix("secretctl1") && recipient.hasSuffix("\n") && recipient.count == 69)
        let text = String(decoding: try sandbox.read(path), as: UTF8.self)
        #expect(text.contains("# recipient: \(recipient)"))
        #expect(text.split(separator: "\n").last?.hasPrefix("SECRETCTL-SECRET-KEY-1") == true)
        let keyLine = String(text.split(separator: "\n").last!)
        #expect(!result.stderr.contains(keyLine) && !result.stdoutText.contains(keyLine), "the private key is printed nowhere")

        let show = await sandbox.run(["keygen", "--show"])
        show.expectSuccess()
        #expect(show.stdoutText == recipient)
    }

    @Test("keygen never overwrites an identity")
    func keygenRefusesToOverwrite() async throws {
        let sandbox = try TestSandbox()
        await sandbox.run(["keygen"]).expectSuccess()
        let path = sandbox.config + "/secretctl/identity"
        let before = try sandbox.read(path)
        let again = await sandbox.run(["keygen"])
        again.expectFailure(.failure, "already exists")
        #expect(try sandbox.read(path) == before)
    }

    @Test("keygen --output - prints the identity for CI and writes no file")
    func keygenToStdout() async throws {
        let sandbox = try TestSandbox()
        let result = await sandbox.run(["keygen", "--output", "-"])
        result.expectSuccess()
        #expect(!sandbox.exists(sandbox.config + "/secretctl/identity"))
        let identity = try Identity(parsing: SecureBytes(copying: result.stdout), source: "stdout")
        #expect(result.stderr.contains("recipient: \(identity.recipient.string)"))
    }

    @Test("two identities share a vault; a third cannot open it; rm locks the removed one out")
    func shareAndRemove() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("DATABASE_URL", "postgres://app:pw-one@db/app")
        await sandbox.run(["generate", "API_TOKEN"]).expectSuccess()
        let (alice, _) = try await Self.keygen(sandbox, config: sandbox.root + "/alice")
        let (bob, _) = try await Self.keygen(sandbox, config: sandbox.root + "/bob")
        _ = try await Self.keygen(sandbox, config: sandbox.root + "/carol")
        await sandbox.run(["recipients", "add", "alice", alice]).expectSuccess()
        await sandbox.run(["recipients", "add", "bob@example.com", bob]).expectSuccess()

        let list = await sandbox.run(["recipients", "list"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/nobody"])
        list.expectSuccess()
        #expect(list.stdoutText == "alice            \(alice)\nbob@example.com  \(bob)\n", "list needs no key")

        for person in ["alice", "bob"] {
            let get = await sandbox.run(["get", "DATABASE_URL"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/" + person])
            get.expectSuccess()
            #expect(get.stdoutText == "postgres://app:pw-one@db/app", "\(person) opens the vault with their identity")
        }
        let carol = await sandbox.run(["get", "DATABASE_URL"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/carol"])
        carol.expectFailure(.noKey, "no key in hand unlocks", hint: "secretctl keygen")

        // alice removes bob, using only her identity (the key file line is dropped: its key is not in her hands).
        let refused = await sandbox.run(["recipients", "rm", "bob@example.com"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/alice"])
        refused.expectFailure(.noKey, "key file", hint: "--drop-unavailable")
        let removed = await sandbox.run(["recipients", "rm", "bob@example.com"])
        removed.expectSuccess()
        #expect(removed.stdoutText == "API_TOKEN\nDATABASE_URL\n", "stdout lists every entry bob could read")
        #expect(removed.hints.contains { $0.contains("secretctl rotate") && $0.contains("API_TOKEN") })
        #expect(removed.hints.contains { $0.contains("secretctl set") && $0.contains("DATABASE_URL") })

        let bobAfter = await sandbox.run(["get", "DATABASE_URL"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/bob"])
        bobAfter.expectFailure(.noKey, "no key in hand unlocks")
        let aliceAfter = await sandbox.run(["get", "DATABASE_URL"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/alice"])
        #expect(aliceAfter.stdoutText == "postgres://app:pw-one@db/app")
        await sandbox.run(["get", "DATABASE_URL"]).expectSuccess()
    }

    @Test("bad recipient strings, names and duplicates are refused and change nothing")
    func addRefusals() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let (alice, _) = try await Self.keygen(sandbox, config: sandbox.root + "/alice")
        let before = try sandbox.read(sandbox.vaultPath())
        await sandbox.run(["recipients", "add", "alice", String(alice.dropLast())]).expectFailure(.usage, "is not a secretctl recipient")
        await sandbox.run(["recipients", "add", "al ice", alice]).expectFailure(.usage, "not a valid recipient name")
        #expect(try sandbox.read(sandbox.vaultPath()) == before)
        await sandbox.run(["recipients", "add", "alice", alice]).expectSuccess()
        await sandbox.run(["recipients", "add", "alice", alice]).expectFailure(.failure, "already has a recipient named alice")
        await sandbox.run(["recipients", "add", "alice2", alice]).expectFailure(.failure, "already listed as alice")
        await sandbox.run(["recipients", "rm", "nobody"]).expectFailure(.failure, "no recipient by that name")
    }

    @Test("CI: the built binary opens the vault with SECRETCTL_IDENTITY alone")
    func ciUnlocksWithEnvironmentVariable() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("DATABASE_URL", "postgres://ci:secret@db/app")
        let ci = await sandbox.run(["keygen", "--output", "-"])
        ci.expectSuccess()
        let identity = try Identity(parsing: SecureBytes(copying: ci.stdout), source: "stdout")
        await sandbox.run(["recipients", "add", "ci", identity.recipient.string]).expectSuccess()

        let result = try sandbox.runBinary(
            ["get", "DATABASE_URL"], environment: ["SECRETCTL_IDENTITY": ci.stdoutText, "XDG_CONFIG_HOME": sandbox.root + "/empty"])
        #expect(result.code == 0, "stderr: \(result.stderr)")
        #expect(result.stdoutText == "postgres://ci:secret@db/app")
    }
}
