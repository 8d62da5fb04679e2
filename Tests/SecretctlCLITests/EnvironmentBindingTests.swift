import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// A vault belongs to one environment: a copy of dev's vault under prod's name opens with dev's
/// key file (found by the id inside the file) and would deploy dev's values to prod.
struct EnvironmentBindingTests {
    static let devURL = "postgres://dev:dev-pass-1234@localhost/todo"

    private func devVault() async throws -> TestSandbox {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        try await sandbox.set("DATABASE_URL", Self.devURL)
        return sandbox
    }

    @Test func aNewVaultRecordsItsEnvironment() async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault(["--env", "staging"])
        #expect(try sandbox.vaultLines(sandbox.vaultPath("staging"))[2] == "env staging")
    }

    @Test(arguments: [["get", "--env", "prod", "DATABASE_URL"], ["list", "--env", "prod"], ["set", "--env", "prod", "DATABASE_URL", "--raw"]])
    func aCopyUnderAnotherEnvironmentsNameIsRefused(_ arguments: [String]) async throws {
        let sandbox = try await devVault()
        try sandbox.write(try sandbox.read(sandbox.vaultPath()), to: sandbox.vaultPath("prod"))
        let copy = try sandbox.read(sandbox.vaultPath("prod"))

        let result = await sandbox.run(arguments, stdin: Array("new-value-here".utf8))
        result.expectFailure(.damaged, "\(sandbox.vaultPath("prod")) belongs to environment dev, not prod", hint: "secretctl bind")
        #expect(try sandbox.read(sandbox.vaultPath("prod")) == copy, "the copy is unchanged")
    }

    @Test func anExplicitVaultPathIsCheckedByItsFileName() async throws {
        let sandbox = try await devVault()
        let elsewhere = sandbox.home + "/prod.vault"
        try sandbox.write(try sandbox.read(sandbox.vaultPath()), to: elsewhere)
        await sandbox.run(["get", "--vault", elsewhere, "DATABASE_URL"]).expectFailure(.damaged, "belongs to environment dev, not prod")
        let sameName = sandbox.home + "/dev.vault"
        try sandbox.write(try sandbox.read(sandbox.vaultPath()), to: sameName)
        #expect(try await sandbox.get("DATABASE_URL", ["--vault", sameName]) == Array(Self.devURL.utf8))
    }

    /// A vault written before the binding existed (no env line) opens; its next save binds it.
    @Test func anUnboundVaultOpensAndIsBoundAtItsNextSave() async throws {
        let sandbox = try await devVault()
        let path = sandbox.vaultPath()
        let file = try VaultFile.parse(try sandbox.read(path))
        let key = try #require(try KeyFile.readAll(try sandbox.keyFile()).first).material
        let dataKey = try #require(try VaultCrypto.unwrap(file.header, with: .key(key)))
        var header = file.header
        header.environment = nil
        try sandbox.write(try VaultCrypto.seal(try VaultCrypto.open(file, dataKey: dataKey), dataKey: dataKey, header: header).bytes, to: path)
        #expect(!(try sandbox.vaultLines(path)).contains { $0.hasPrefix("env ") }, "an old-style vault")

        #expect(try await sandbox.get("DATABASE_URL") == Array(Self.devURL.utf8))
        try await sandbox.set("OTHER", "other-value-1")
        #expect(try sandbox.vaultLines(path)[2] == "env dev")
    }

    @Test func renamingAnEnvironmentOnPurposeIsOneBind() async throws {
        let sandbox = try await devVault()
        try sandbox.move(sandbox.vaultPath(), to: sandbox.vaultPath("preprod"))
        await sandbox.run(["get", "--env", "preprod", "DATABASE_URL"]).expectFailure(.damaged, "belongs to environment dev, not preprod")

        let bound = await sandbox.run(["bind", "--env", "preprod"])
        bound.expectSuccess()
        #expect(bound.stderr.contains("bound \(sandbox.vaultPath("preprod")) to environment preprod (it was dev)"))
        #expect(try sandbox.vaultLines(sandbox.vaultPath("preprod"))[2] == "env preprod")
        #expect(try await sandbox.get("DATABASE_URL", ["--env", "preprod"]) == Array(Self.devURL.utf8))
    }
}
