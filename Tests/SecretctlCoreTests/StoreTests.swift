#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// `VaultStore`, `FileLock`, `AtomicFile`, `ProjectLocator`, `KeyFile` and `KeyResolver`
/// below the command line.
struct StoreTests {
    /// A temporary folder with a vault opened by a key given through `SECRETCTL_KEY`.
    final class World: @unchecked Sendable {
        let root: String
        let key: SecureBytes
        let environment: ProcessEnvironment

        init(lockTimeout: String = "5") throws {
            var template = Array("\(NSTemporaryDirectory())/secretctl-store-XXXXXX".utf8CString)
            let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
            root = try #require(made.map { String(cString: $0) }, "mkdtemp failed")
            key = try SecureRandom.secureBytes(KeyFile.keySize)
            let keyText = KeyFile.encode(key).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            environment = ProcessEnvironment(
                variables: ["SECRETCTL_KEY": keyText, "XDG_CONFIG_HOME": root + "/config", "SECRETCTL_LOCK_TIMEOUT": lockTimeout],
                workingDirectory: root)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        var vaultPath: String { root + "/secrets/dev.vault" }

        func store(_ path: String? = nil) -> VaultStore {
            VaultStore(path: path ?? vaultPath, environment: environment, prompter: NoPrompter())
        }

        /// Creates an empty vault unlocked by `key`.
        @discardableResult
        func create(_ path: String? = nil) throws -> VaultStore {
            let store = store(path)
            let vaultID = try VaultCrypto.newVaultID()
            let dataKey = try SecureRandom.secureBytes(AESGCM.keySize)
            let unlocker = try VaultCrypto.keyUnlocker(dataKey: dataKey, key: key, keyID: try VaultCrypto.newKeyID(), vaultID: vaultID)
            try store.create(header: VaultHeader(vaultID: vaultID, unlockers: [unlocker]), dataKey: dataKey)
            return store
        }

        func bytes(_ path: String) -> [UInt8] { FileManager.default.contents(atPath: path).map(Array.init) ?? [] }

        func names(in folder: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        }
    }

    static func value(_ text: String) -> SecretValue { SecretValue(SecureBytes(copying: Array(text.utf8))) }

    // MARK: - VaultStore

    @Test func createMakesAnEmptyPrivateVaultAndRefusesASecond() throws {
        let world = try World()
        let store = try world.create()
        #expect(FileSystem.mode(store.path) == 0o600)
        #expect(try store.open().contents.isEmpty)
        #expect(FileSystem.exists(store.lockPath))
        let before = world.bytes(store.path)
        #expect(throws: SecretctlError.self) { try world.create() }
        #expect(world.bytes(store.path) == before)
    }

    @Test func updateSavesUnderAFreshNonceEveryTime() throws {
        let world = try World()
        let store = try world.create()
        var nonces: Set<String> = []
        for round in 1...5 {
            try store.update { (vault) throws(SecretctlError) in
                VaultEditor.set(&vault.contents, name: "A", value: Self.value("value-\(round)"), recipe: nil, keepRecipe: false, now: 0)
            }
            let text = String(decoding: world.bytes(store.path), as: UTF8.self)
            let nonceLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("--- ") })
            nonces.insert(String(nonceLine))
        }
        #expect(nonces.count == 5)
        let entry = try #require(try store.open().contents["A"])
        #expect(entry.current.number == 5)
        #expect(entry.current.value.equals(Self.value("value-5")))
    }

    @Test func aThrowingUpdateWritesNothing() throws {
        let world = try World()
        let store = try world.create()
        try store.update { (vault) throws(SecretctlError) in
            VaultEditor.set(&vault.contents, name: "KEPT", value: Self.value("kept"), recipe: nil, keepRecipe: false, now: 0)
        }
        let before = world.bytes(store.path)
        let refusal = SecretctlError(.failure, "changed my mind")
        #expect(throws: refusal) {
            try store.update { (vault) throws(SecretctlError) in
                vault.contents["KEPT"] = nil
                throw refusal
            }
        }
        #expect(world.bytes(store.path) == before)
        #expect(world.names(in: world.root + "/secrets") == ["dev.vault", "dev.vault.lock"])
    }

    @Test func updateOfAMissingVaultIsNoInputAndCreatesNothing() throws {
        let world = try World()
        try FileManager.default.createDirectory(atPath: world.root + "/secrets", withIntermediateDirectories: true)
        let error = #expect(throws: SecretctlError.self) {
            try world.store().update { (_) throws(SecretctlError) in }
        }
        #expect(error?.code == .noInput)
        #expect(error?.hint?.contains("secretctl init") == true)
        #expect(world.names(in: world.root + "/secrets").isEmpty, "no lock file beside a vault that does not exist")
    }

    @Test func updateRemovesStaleTempFilesOfThisVaultOnly() throws {
        let world = try World()
        let store = try world.create()
        let folder = world.root + "/secrets"
        for name in [".dev.vault.tmp-0000000000000000", ".dev.vault.tmp-x", ".staging.vault.tmp-0000000000000000", "dev.vault.tmp-not-hidden"] {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("junk".utf8)))
        }
        _ = try store.open()
        #expect(world.names(in: folder).count == 6, "reading removes nothing")
        try store.update { (_) throws(SecretctlError) in }
        #expect(world.names(in: folder) == [".staging.vault.tmp-0000000000000000", "dev.vault", "dev.vault.lock", "dev.vault.tmp-not-hidden"])
    }

    // MARK: - FileLock

    @Test func aSecondLockWaitsThenTimesOutWith75() throws {
        let world = try World()
        let path = world.root + "/x.lock"
        let first = try FileLock(path: path, timeout: 1, vaultPath: "the vault")
        let clock = ContinuousClock()
        let start = clock.now
        let error = #expect(throws: SecretctlError.self) { _ = try FileLock(path: path, timeout: 0.3, vaultPath: "the vault") }
        #expect(clock.now - start >= .milliseconds(290))
        #expect(error?.code == .lockTimeout)
        #expect(error?.message == "another secretctl process is writing the vault; gave up after 0.3 s")
        #expect(error?.hint?.contains("SECRETCTL_LOCK_TIMEOUT") == true)
        first.release()
        let second = try FileLock(path: path, timeout: 0, vaultPath: "the vault")
        second.release()
        #expect(FileSystem.mode(path) == 0o600)
    }

    @Test func aLockIsReleasedWhenItsOwnerGoesAway() throws {
        let world = try World()
        let path = world.root + "/y.lock"
        do { _ = try FileLock(path: path, timeout: 0, vaultPath: "v") }
        let again = try FileLock(path: path, timeout: 0, vaultPath: "v")
        again.release()
        again.release()  // twice is harmless
    }

    @Test func aLockInAMissingFolderCannotBeWritten() throws {
        let world = try World()
        let error = #expect(throws: SecretctlError.self) { _ = try FileLock(path: world.root + "/no/such/folder/v.lock", timeout: 0, vaultPath: "v") }
        #expect(error?.code == .cannotWrite)
    }

    @Test(arguments: [("1", 1.0), ("0.25", 0.25), ("", 10.0), ("soon", 10.0), ("-4", 0.0)])
    func lockTimeoutComesFromTheEnvironment(text: String, seconds: Double) {
        #expect(ProcessEnvironment(variables: ["SECRETCTL_LOCK_TIMEOUT": text], workingDirectory: "/").lockTimeout == seconds)
    }

    // MARK: - AtomicFile

    @Test func atomicWriteReplacesTheFileWithMode0600() throws {
        let world = try World()
        let path = world.root + "/file"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
        try AtomicFile.write(Array("new contents".utf8), to: path)
        #expect(world.bytes(path) == Array("new contents".utf8))
        #expect(FileSystem.mode(path) == 0o600)
        #expect(world.names(in: world.root) == ["file"], "no temp file left")
    }

    @Test func aFailedAtomicWriteLeavesTheOldFileAndNoTempFile() throws {
        let world = try World()
        // The target is a non-empty folder: rename fails after the temp file was written.
        let target = world.root + "/target"
        try FileManager.default.createDirectory(atPath: target + "/inside", withIntermediateDirectories: true)
        let error = #expect(throws: SecretctlError.self) { try AtomicFile.write(Array("x".utf8), to: target) }
        #expect(error?.code == .cannotWrite)
        #expect(world.names(in: world.root) == ["target"])

        let missing = #expect(throws: SecretctlError.self) { try AtomicFile.write(Array("x".utf8), to: world.root + "/none/file") }
        #expect(missing?.code == .cannotWrite)
    }

    @Test func temporaryPathsAreHiddenBesideTheTargetAndUnique() {
        let first = AtomicFile.temporaryPath(for: "/p/secrets/dev.vault")
        let second = AtomicFile.temporaryPath(for: "/p/secrets/dev.vault")
        #expect(first.hasPrefix("/p/secrets/.dev.vault.tmp-"))
        #expect(first != second)
    }

    // MARK: - ProjectLocator

    @Test(arguments: ["dev", "staging", "prod-eu", "a_b", "0", String(repeating: "x", count: 63)])
    func validEnvironmentNames(name: String) throws {
        try ProjectLocator.validateEnvironmentName(name)
    }

    @Test(arguments: ["", "Dev", "-dev", "a/b", "..", "a.b", "a b", String(repeating: "x", count: 64), "é"])
    func invalidEnvironmentNames(name: String) {
        let error = #expect(throws: SecretctlError.self) { try ProjectLocator.validateEnvironmentName(name) }
        #expect(error?.code == .usage)
    }

    @Test func vaultPathPrecedence() throws {
        let world = try World()
        try FileManager.default.createDirectory(atPath: world.root + "/secrets", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: world.root + "/deep/er", withIntermediateDirectories: true)
        func locator(_ variables: [String: String], in directory: String? = nil) -> ProjectLocator {
            ProjectLocator(environment: ProcessEnvironment(variables: variables, workingDirectory: directory ?? world.root + "/deep/er"))
        }
        #expect(try locator([:]).vaultPath(vaultOption: nil, environmentOption: nil) == world.root + "/secrets/dev.vault")
        #expect(try locator(["SECRETCTL_ENV": "qa"]).vaultPath(vaultOption: nil, environmentOption: nil) == world.root + "/secrets/qa.vault")
        #expect(try locator(["SECRETCTL_ENV": "qa"]).vaultPath(vaultOption: nil, environmentOption: "prod") == world.root + "/secrets/prod.vault")
        #expect(try locator(["SECRETCTL_VAULT": "v.vault"]).vaultPath(vaultOption: nil, environmentOption: "prod") == world.root + "/deep/er/v.vault")
        #expect(try locator(["SECRETCTL_VAULT": "v.vault"]).vaultPath(vaultOption: "/abs/w.vault", environmentOption: nil) == "/abs/w.vault")
        #expect(throws: SecretctlError.self) { try locator(["SECRETCTL_ENV": "Nope"]).vaultPath(vaultOption: nil, environmentOption: nil) }
    }

    // MARK: - Key files

    @Test func keyFilesRoundTripAndToleratePastedLineEnds() throws {
        let key = try SecureRandom.secureBytes(KeyFile.keySize)
        let text = KeyFile.encode(key)
        #expect(text.count == 45)
        for suffix in ["", "\r\n", "  \n\n"] {
            let pasted = SecureBytes.joined([text, SecureBytes(copying: Array(suffix.utf8))])
            let keys = try KeyFile.decodeAll(pasted, source: "test")
            #expect(keys.count == 1 && keys[0].keyID == nil && keys[0].material.constantTimeEquals(key))
        }
    }

    /// A key ring (what `rekey` writes) reads back in order with its key ids; comments,
    /// CRLF and a missing last LF are tolerated, as for the single-key form.
    @Test(arguments: ["\n", "\r\n"])
    func keyRingsRoundTrip(lineEnd: String) throws {
        let keys = try (0..<3).map { index in
            KeyFile.Key(keyID: String(repeating: "\(index)", count: 16), material: try SecureRandom.secureBytes(KeyFile.keySize))
        }
        let text = KeyFile.encodeRing(keys, vaultID: String(repeating: "ab", count: 16))
        let pasted = text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }.split(separator: "\n").joined(separator: lineEnd)
        let decoded = try KeyFile.decodeAll(SecureBytes(copying: Array(pasted.utf8)), source: "test")
        #expect(decoded.map(\.keyID) == keys.map(\.keyID))
        #expect(zip(decoded, keys).allSatisfy { $0.sameMaterial(as: $1) })
    }

    @Test(arguments: [
        "key 0123456789abcdef \(String(repeating: "A", count: 42))==",  // 31 bytes, not 32
        "key 0123456789ABCDEF \(String(repeating: "A", count: 44))",    // uppercase key id
        "key 0123456789abcde \(String(repeating: "A", count: 44))",     // short key id
        "key  0123456789abcdef \(String(repeating: "A", count: 44))",   // two spaces
        "key 0123456789abcdef \(String(repeating: "A", count: 44))\nsomething else",
        "key 0123456789abcdef \(String(repeating: "A", count: 44))\nkey 0123456789abcdef \(String(repeating: "B", count: 44))",
    ])
    func malformedKeyRingsAreNoKey(text: String) {
        let error = #expect(throws: SecretctlError.self) { _ = try KeyFile.decodeAll(SecureBytes(copying: Array(text.utf8)), source: "the ring") }
        #expect(error?.code == .noKey)
        #expect(error?.message.hasPrefix("the ring ") == true)
    }

    @Test(arguments: ["", "AAAA", "not-base64-at-all-not-base64-at-all-not-base", String(repeating: "A", count: 42) + "B=", String(repeating: "A", count: 44) + "AAAA"])
    func malformedKeyTextIsNoKey(text: String) {
        let error = #expect(throws: SecretctlError.self) { _ = try KeyFile.decodeAll(SecureBytes(copying: Array(text.utf8)), source: "the thing") }
        #expect(error?.code == .noKey)
        #expect(error?.message == "the thing does not hold a secretctl key (base64 of 32 bytes, or 'key <key-id> <base64>' lines)")
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o600, 0o400] as [mode_t])
    func keyFilesOthersCanReadAreRefused(mode: mode_t) throws {
        let world = try World()
        let path = world.root + "/k.key"
        let contents = KeyFile.encode(world.key).withUnsafeBytes { Data($0) }
        #expect(FileManager.default.createFile(atPath: path, contents: contents))
        #expect(chmod(path, mode) == 0)
        if mode & 0o077 == 0 {
            #expect(try KeyFile.readAll(path)[0].material.constantTimeEquals(world.key))
        } else {
            let error = #expect(throws: SecretctlError.self) { _ = try KeyFile.readAll(path) }
            #expect(error?.code == .noKey)
            #expect(error?.hint == "chmod 600 \(path)")
        }
    }

    @Test func theDefaultKeyPathFollowsXDGConfigHome() {
        let id = String(repeating: "ab", count: 16)
        #expect(KeyFile.defaultPath(vaultID: id, environment: ProcessEnvironment(variables: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/u"], workingDirectory: "/w"))
            == "/cfg/secretctl/keys/\(id).key")
        #expect(KeyFile.defaultPath(vaultID: id, environment: ProcessEnvironment(variables: ["HOME": "/home/u"], workingDirectory: "/w"))
            == "/home/u/.config/secretctl/keys/\(id).key")
        #expect(KeyFile.defaultPath(vaultID: id, environment: ProcessEnvironment(variables: ["XDG_CONFIG_HOME": "rel", "HOME": "/home/u"], workingDirectory: "/w"))
            == "/w/rel/secretctl/keys/\(id).key")
    }

    // MARK: - KeyResolver

    @Test func withoutAnyKeyTheResolverSaysWhatToDo() throws {
        let world = try World()
        let store = try world.create()
        let header = try store.readFile().header
        var environment = world.environment
        environment.variables["SECRETCTL_KEY"] = nil
        let error = #expect(throws: SecretctlError.self) {
            _ = try KeyResolver(environment: environment, prompter: NoPrompter()).dataKey(for: header, vaultPath: store.path)
        }
        #expect(error?.code == .noKey)
        #expect(error?.message.contains("no key was found") == true)
        #expect(error?.hint?.contains(KeyFile.defaultPath(vaultID: header.vaultID, environment: environment)) == true)
    }

    @Test func aKeyLeftByAnInterruptedRekeyStillOpensTheVault() throws {
        let world = try World()
        let store = try world.create()
        let header = try store.readFile().header
        var environment = world.environment
        environment.variables["SECRETCTL_KEY"] = nil
        let path = KeyFile.defaultPath(vaultID: header.vaultID, environment: environment)
        try FileSystem.makeDirectories(Path.parent(path))
        try FileSystem.createExclusive(path + ".new", mode: 0o600, contents: KeyFile.encode(world.key))
        let dataKey = try KeyResolver(environment: environment, prompter: NoPrompter()).dataKey(for: header, vaultPath: store.path)
        #expect(dataKey.count == 32)
    }
}
