#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SecretctlCore
import SecretctlCrypto
import Testing

/// Every single-byte change and every truncation of a small vault is refused with exit 65
/// (77 where the change hits the `id` or unlocker line, so no key in hand opens it), an empty
/// stdout and a `secretctl: error:` message that does not contain the value; never a crash.
@Suite("Hardening: corrupted vaults")
struct HardeningCorruptionTests {
    /// A one-entry vault made once, with the key file text that opens it.
    struct Fixture: Sendable {
        static let value = "postgres://app:hardening-s3cret@db.internal/todo"
        static let name = "DATABASE_URL"
        let vault: [UInt8]
        let vaultID: String
        let keyText: [UInt8]

        /// Byte offsets where each line starts; line 0 is the version line.
        var lineStarts: [Int] {
            [0] + vault.indices.filter { vault[$0] == 0x0A && $0 + 1 < vault.count }.map { $0 + 1 }
        }

        func line(of position: Int) -> Int { lineStarts.lastIndex { $0 <= position }! }

        static let shared: Fixture = {
            do {
                let vaultID = try VaultCrypto.newVaultID()
                let dataKey = try SecureRandom.secureBytes(AESGCM.keySize)
                let key = try SecureRandom.secureBytes(KeyFile.keySize)
                let unlocker = try VaultCrypto.keyUnlocker(dataKey: dataKey, key: key, keyID: try VaultCrypto.newKeyID(), vaultID: vaultID)
                var contents = VaultContents()
                VaultEditor.set(
                    &contents, name: name, value: SecretValue(SecureBytes(copying: Array(value.utf8))), recipe: nil, keepRecipe: false,
                    now: 1_700_000_000)
                let file = try VaultCrypto.seal(contents, dataKey: dataKey, header: VaultHeader(vaultID: vaultID, unlockers: [unlocker]))
                return Fixture(vault: file.bytes, vaultID: vaultID, keyText: KeyFile.encode(key).withUnsafeBytes { Array($0) })
            } catch {
                fatalError("cannot build the corruption fixture: \(error)")
            }
        }()
    }

    static let positions = Array(0..<Fixture.shared.vault.count)
    static let lengths = Array(0..<Fixture.shared.vault.count)
    /// 0x01 keeps most bytes printable (a different base64 digit, hex digit or letter), which
    /// gets past the parser to the tags; 0x80 makes the byte non-ASCII.
    static let masks: [UInt8] = [0x01, 0x80]

    /// A world with the fixture's key file in place and `bytes` as its vault.
    static func world(with bytes: [UInt8]) throws -> HardeningWorld {
        let world = try HardeningWorld()
        let keys = world.config + "/secretctl/keys"
        try FileSystem.makeDirectories(keys, mode: 0o700)
        try HardeningWorld.writeFile(keys + "/\(Fixture.shared.vaultID).key", Fixture.shared.keyText, mode: 0o600)
        try HardeningWorld.writeFile(world.vault, bytes)
        return world
    }

    static func expectRefused(_ result: HardeningWorld.InProcess, allowed: Set<Int32>, _ what: String) {
        #expect(allowed.contains(result.code), "\(what): exit \(result.code), stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(what): stdout is not empty")
        #expect(result.stderr.hasPrefix("secretctl: error: "), "\(what): \(result.stderr)")
        #expect(result.stderr.contains("dev.vault"), "\(what): the message does not name the vault: \(result.stderr)")
        #expect(!result.stderr.contains(Fixture.value) && !result.stderr.contains("hardening-s3cret"), "\(what): the value leaked")
    }

    @Test func theUntouchedFixtureOpens() async throws {
        let world = try Self.world(with: Fixture.shared.vault)
        let result = await world.runInProcess(["get", Fixture.name])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout == Array(Fixture.value.utf8))
        #expect(Fixture.shared.lineStarts.count == 5, "expected version, id, key, --- and payload lines")
    }

    @Test(arguments: positions, masks)
    func everySingleByteChangeIsRefused(position: Int, mask: UInt8) async throws {
        var bytes = Fixture.shared.vault
        bytes[position] ^= mask
        let world = try Self.world(with: bytes)
        // Line 1 is `id`, line 2 the key unlocker: changing them leaves no key that unlocks the
        // vault (77), or makes the header fail as associated data (65).
        let line = Fixture.shared.line(of: position)
        let allowed: Set<Int32> = (line == 1 || line == 2) ? [65, 77] : [65]
        for command in [["get", Fixture.name], ["list"]] {
            let result = await world.runInProcess(command)
            Self.expectRefused(result, allowed: allowed, "\(command[0]) with byte \(position) (line \(line + 1)) ^ \(mask)")
        }
        // A refused write leaves the damaged file as it was.
        let set = await world.runInProcess(["set", Fixture.name], stdin: Array("new".utf8))
        Self.expectRefused(set, allowed: allowed, "set with byte \(position) ^ \(mask)")
        #expect(try HardeningWorld.readFile(world.vault) == bytes)
    }

    @Test(arguments: lengths)
    func everyTruncationIsRefused(length: Int) async throws {
        let world = try Self.world(with: Array(Fixture.shared.vault.prefix(length)))
        let result = await world.runInProcess(["get", Fixture.name])
        Self.expectRefused(result, allowed: [65], "get with the vault cut to \(length) bytes")
    }

    /// Extra bytes after the payload line, and a doubled file.
    @Test(arguments: [[0x0A], Array("x".utf8), Array("\n--- AAAA\n".utf8), [0]] as [[UInt8]])
    func trailingBytesAreRefused(suffix: [UInt8]) async throws {
        let world = try Self.world(with: Fixture.shared.vault + suffix)
        Self.expectRefused(await world.runInProcess(["get", Fixture.name]), allowed: [65], "suffix \(suffix)")
    }

    /// The same through the real binary, for a sample of positions: a refused vault never
    /// kills the process with a signal.
    @Test(arguments: stride(from: 0, to: Fixture.shared.vault.count, by: 13).map { $0 })
    func theBinaryRefusesDamagedVaultsWithoutCrashing(position: Int) throws {
        var bytes = Fixture.shared.vault
        bytes[position] ^= 0x01
        let world = try Self.world(with: bytes)
        let line = Fixture.shared.line(of: position)
        let done = try world.run(["get", Fixture.name])
        #expect(done.signal == nil, "secretctl died of signal \(done.signal ?? 0)")
        let allowed: Set<Int32> = (line == 1 || line == 2) ? [65, 77] : [65]
        #expect(done.exitCode.map(allowed.contains) == true, "byte \(position): exit \(String(describing: done.exitCode)): \(done.stderr)")
        #expect(done.stdout.isEmpty)
        #expect(done.stderr.hasPrefix("secretctl: error: "), "\(done.stderr)")
        #expect(!done.stderr.contains("hardening-s3cret"))
    }
}
