import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// Write access is not read access: someone who can push but is not a recipient builds a vault
/// from public data only (the id and the recipients' public keys are in the file, the format is
/// specified) with a new data key wrapped to every recipient and a key line of their own. The
/// forgery here is written by test code that follows the spec, not by secretctl's writer.
@Suite("A data key forged by someone who is not a recipient", .serialized)
struct ForgedVaultTests {
    typealias Git = TeamGitTests.Git

    static let realURL = "postgres://app:real-pass-1234@db/prod"
    static let forgedURL = "postgres://app:x@forger.example/steal"
    static let addedLater = "added-after-the-branch-9876"

    /// The forger's view of a vault: only what anyone can read in the file.
    struct Forgery {
        /// The forger's own key (their `key` line), which must never come to open the owner's vault.
        let forgerKey: SecureBytes
        let forgerKeyID: String
        let bytes: [UInt8]

        init(of vault: [UInt8], entries: [(String, String)]) throws {
            let lines = String(decoding: vault, as: UTF8.self).split(separator: "\n").map(String.init)
            let id = try #require(lines.first { $0.hasPrefix("id ") }).dropFirst(3)
            let wrapAAD = Array("secretctl-vault/v1 wrap \(id)".utf8)
            let dataKey = try SecureRandom.secureBytes(32)
            forgerKey = try SecureRandom.secureBytes(32)
            forgerKeyID = Hex.encode(try SecureRandom.bytes(8))

            var header = ["secretctl-vault/v1", "id \(id)"]
            // Public lines are copied as they are: the binding, and the last key-change proof
            // (which proves the old key, not this one).
            header += lines.filter { $0.hasPrefix("env ") || $0.hasPrefix("key-change ") }
            let ownNonce = try SecureRandom.bytes(12)
            header.append("key \(forgerKeyID) \(Self.b64(ownNonce)) \(Self.b64(try AESGCM.seal(dataKey, key: forgerKey, nonce: ownNonce, authenticating: wrapAAD)))")
            for line in lines where line.hasPrefix("recipient ") {
                let fields = line.split(separator: " ").map(String.init)
                let recipientKey = try #require(Data(base64Encoded: fields[2])).map { $0 }
                let ephemeral = try X25519.generatePrivateKey()
                let ephemeralKey = try X25519.publicKey(privateKey: ephemeral)
                let shared = try X25519.sharedSecret(privateKey: ephemeral, peerPublicKey: recipientKey)
                let kek = try HKDF.sha256(inputKey: shared, salt: ephemeralKey + recipientKey, info: Array("secretctl-vault/v1 recipient".utf8), length: 32)
                let nonce = try SecureRandom.bytes(12)
                let wrapped = try AESGCM.seal(dataKey, key: kek, nonce: nonce, authenticating: wrapAAD)
                header.append("recipient \(fields[1]) \(fields[2]) \(Self.b64(ephemeralKey)) \(Self.b64(nonce)) \(Self.b64(wrapped))")
            }
            let headerBytes = Array(header.map { $0 + "\n" }.joined().utf8)
            let nonce = try SecureRandom.bytes(12)
            let sealed = try AESGCM.seal(SecureBytes(copying: Self.payload(entries)), key: dataKey, nonce: nonce, authenticating: headerBytes)
            bytes = headerBytes + Array("--- \(Self.b64(nonce))\n\(Self.b64(sealed))\n".utf8)
        }

        /// The payload plaintext of docs/vault-format.md: every entry set by hand, one version.
        static func payload(_ entries: [(String, String)]) -> [UInt8] {
            func be<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
            var out: [UInt8] = [1] + be(UInt32(entries.count))
            for (name, value) in entries.sorted(by: { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }) {
                out += be(UInt16(name.utf8.count)) + Array(name.utf8)
                out += [0, 10] + be(UInt16(1))  // set by hand, history limit 10, one version
                out += be(UInt32(1)) + be(Int64(1_800_000_000)) + be(UInt32(value.utf8.count)) + Array(value.utf8)
            }
            return out
        }

        static func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
    }

    /// A repository whose vault lists the owner as a recipient (identity in the sandbox's config)
    /// beside the key file, with DATABASE_URL, committed on main.
    static func repository() async throws -> (TestSandbox, Git) {
        let (sandbox, git) = try await TeamGitTests.repository()
        let owner = await sandbox.run(["keygen"])
        owner.expectSuccess()
        await sandbox.run(["recipients", "add", "owner", String(owner.stdoutText.dropLast())]).expectSuccess()
        try await sandbox.set("DATABASE_URL", realURL)
        try git(["commit", "-q", "-am", "owner: recipients and DATABASE_URL"])
        return (sandbox, git)
    }

    /// Commits the forgery on branch `forged`, with git alone (no secretctl on that side).
    static func commitForgery(_ sandbox: TestSandbox, _ git: Git) throws -> Forgery {
        try git(["checkout", "-q", "-b", "forged"])
        let forgery = try Forgery(of: try sandbox.read(sandbox.vaultPath()),
            entries: [("A", "alpha-value-1"), ("B", "bravo-value-1"), ("DATABASE_URL", forgedURL)])
        try sandbox.write(forgery.bytes, to: sandbox.vaultPath())
        try git(["commit", "-q", "-am", "tidy the vault"])
        try git(["checkout", "-q", "main"])
        return forgery
    }

    /// The forgery is a valid vault: the owner's identity opens it (that is the danger).
    @Test func theForgeryOpensWithTheOwnersIdentity() async throws {
        let (sandbox, _) = try await Self.repository()
        let forgery = try Forgery(of: try sandbox.read(sandbox.vaultPath()), entries: [("DATABASE_URL", Self.forgedURL)])
        let file = try VaultFile.parse(forgery.bytes)
        let identity = try Identity.read(sandbox.config + "/secretctl/identity")
        let dataKey = try #require(try VaultCrypto.unwrap(file.header, with: .identity(identity)))
        #expect(try VaultCrypto.open(file, dataKey: dataKey)["DATABASE_URL"] != nil)
    }

    @Test func theMergeDriverRefusesAForgedDataKeyAndAdoptsNothing() async throws {
        let (sandbox, git) = try await Self.repository()
        let forgery = try Self.commitForgery(sandbox, git)
        try await sandbox.set("NEW_SECRET", Self.addedLater)
        try git(["commit", "-q", "-am", "main: a secret added after the branch point"])
        let ours = try sandbox.read(sandbox.vaultPath())

        let merge = try git(["merge", "--no-edit", "forged"], expect: nil)
        #expect(merge.code != 0, "the merge must fail: \(merge.stdout)\n\(merge.stderr)")
        #expect(merge.stderr.contains("merge conflict in secrets/dev.vault: their version has a new data key"), "\(merge.stderr)")
        #expect(merge.stderr.contains("secretctl: hint: "), "\(merge.stderr)")
        #expect(!merge.stderr.contains("forger.example") && !merge.stderr.contains(Self.addedLater), "no value in the messages")
        #expect(try sandbox.read(sandbox.vaultPath()) == ours, "the work tree keeps our vault byte for byte")
        #expect(try git(["status", "--porcelain"]).stdout.contains("UU secrets/dev.vault"))
        #expect(!(try sandbox.vaultLines(sandbox.vaultPath())).contains { $0.hasPrefix("key \(forgery.forgerKeyID) ") }, "the forger's line was not adopted")
        #expect(try await TeamGitTests.value(sandbox, "DATABASE_URL") == Self.realURL)
        // The forger's key opens nothing in the work tree.
        let asForger = await sandbox.run(["get", "NEW_SECRET"], environment: [
            "SECRETCTL_KEY": forgery.forgerKey.withUnsafeBytes { Data($0).base64EncodedString() },
            "XDG_CONFIG_HOME": sandbox.root + "/forger",
        ])
        asForger.expectFailure(.noKey, "SECRETCTL_KEY is set but does not open")
    }

    @Test func aFastForwardToAForgedKeyThenSetIsRefused() async throws {
        let (sandbox, git) = try await Self.repository()
        _ = try Self.commitForgery(sandbox, git)
        try git(["merge", "--ff-only", "-q", "forged"])
        let forged = try sandbox.read(sandbox.vaultPath())

        let set = await sandbox.run(["set", "NEW_SECRET", "--raw"], stdin: Array(Self.addedLater.utf8))
        set.expectFailure(.damaged, "\(sandbox.vaultPath()): its data key changed", hint: "secretctl trust")
        #expect(try sandbox.read(sandbox.vaultPath()) == forged, "nothing was written under the forged key")
        // Reading the forged values is refused as well: they would be deployed.
        await sandbox.run(["get", "DATABASE_URL"]).expectFailure(.damaged, "its data key changed")

        // The owner can still accept a key change deliberately.
        await sandbox.run(["trust"]).expectSuccess()
        #expect(try await TeamGitTests.value(sandbox, "DATABASE_URL") == Self.forgedURL)
    }

    /// A teammate on another machine (their own config folder, the key file in hand) removes a
    /// recipient on a branch: a new data key with proof from the old one. The owner's merge
    /// adopts it, and later writes need nothing more.
    @Test func aLegitimateKeyChangeFromAnotherMachineIsAcceptedByMergeAndSet() async throws {
        let (sandbox, git) = try await Self.repository()
        let carol = await sandbox.run(["keygen"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/carol"])
        carol.expectSuccess()
        await sandbox.run(["recipients", "add", "carol", String(carol.stdoutText.dropLast())]).expectSuccess()
        try git(["commit", "-q", "-am", "add carol"])
        let teammate = ["XDG_CONFIG_HOME": sandbox.root + "/teammate", "SECRETCTL_KEY_FILE": try sandbox.defaultKeyPath(sandbox.vaultPath())]

        try git(["checkout", "-q", "-b", "remove-carol"])
        let removed = await sandbox.run(["recipients", "rm", "carol"], environment: teammate)
        removed.expectSuccess()
        try git(["commit", "-q", "-am", "remove carol"])
        try git(["checkout", "-q", "main"])
        try await sandbox.set("NEW_SECRET", Self.addedLater)
        try git(["commit", "-q", "-am", "main: NEW_SECRET"])

        let merge = try git(["merge", "--no-edit", "remove-carol"], expect: nil)
        #expect(merge.code == 0, "git merge: \(merge.stderr)")
        #expect(try await TeamGitTests.value(sandbox, "NEW_SECRET") == Self.addedLater)
        try await sandbox.set("AFTER", "after-the-merge-1")
        await sandbox.run(["get", "NEW_SECRET"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/carol"]).expectFailure(.noKey, "no key in hand")
    }

    /// rekey and passphrase rm on another machine, then a fast-forward here: accepted by proof.
    @Test(arguments: ["rekey", "recipients rm"])
    func aLegitimateKeyChangeThenAFastForwardAndSetWorks(_ change: String) async throws {
        let (sandbox, git) = try await Self.repository()
        let other = await sandbox.run(["keygen"], environment: ["XDG_CONFIG_HOME": sandbox.root + "/other"])
        await sandbox.run(["recipients", "add", "other", String(other.stdoutText.dropLast())]).expectSuccess()
        try git(["commit", "-q", "-am", "add other"])
        let teammate = ["XDG_CONFIG_HOME": sandbox.root + "/teammate", "SECRETCTL_KEY_FILE": try sandbox.defaultKeyPath(sandbox.vaultPath())]
        try git(["checkout", "-q", "-b", "change"])
        await sandbox.run(change.split(separator: " ").map(String.init) + (change == "rekey" ? [] : ["other"]), environment: teammate).expectSuccess()
        try git(["commit", "-q", "-am", change])
        try git(["checkout", "-q", "main"])
        try git(["merge", "--ff-only", "-q", "change"])
        try await sandbox.set("NEW_SECRET", Self.addedLater)
        #expect(try await TeamGitTests.value(sandbox, "DATABASE_URL") == Self.realURL)
    }
}
