#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SecretctlCore
import Testing

/// A full disk and a read-only folder: the write fails with exit 73 and a message that says
/// what happened, and the vault is left byte for byte as it was.
///
/// As root, `chmod 0555` does not stop writes, so the folder is a real file system: a 64 KiB
/// tmpfs mounted over the world's `secrets/` (full disk), remounted read-only (read-only
/// folder). Without root or mount(2), the chmod variant runs and the tmpfs tests are
/// disabled with that reason.
@Suite("Hardening: full disk and read-only folders", .serialized)
struct HardeningDiskTests {
    static let isRoot = geteuid() == 0

    /// Whether a tmpfs can be mounted here (root with CAP_SYS_ADMIN, no seccomp veto).
    static let canMount: Bool = {
        guard isRoot, let world = try? HardeningWorld() else { return false }
        guard let mounted = try? Tmpfs(world.secrets, world: world, size: "16k") else { return false }
        mounted.unmount()
        return true
    }()

    /// A tmpfs mounted over `path` for the life of the value.
    final class Tmpfs {
        let path: String
        let world: HardeningWorld
        private var mounted = true

        init(_ path: String, world: HardeningWorld, size: String) throws {
            self.path = path
            self.world = world
            let done = try world.wait(world.start(["/bin/mount", "-t", "tmpfs", "-o", "size=\(size),mode=0755", "tmpfs", path]))
            guard done.exitCode == 0 else { throw SecretctlError(.system, "mount failed: \(done.stderr)") }
        }

        func remountReadOnly() throws {
            let done = try world.wait(world.start(["/bin/mount", "-o", "remount,ro", path]))
            try #require(done.exitCode == 0, "remount,ro failed: \(done.stderr)")
        }

        func unmount() {
            guard mounted else { return }
            mounted = false
            _ = try? world.wait(world.start(["/bin/umount", "-l", path]))
        }

        deinit { unmount() }
    }

    static func expectUnchanged(_ world: HardeningWorld, _ before: [UInt8], value expected: [UInt8], name: String) throws {
        #expect(try HardeningWorld.readFile(world.vault) == before, "the vault file changed")
        #expect(try world.value(name) == expected)
        let strays = try world.strayTemporaryFiles()
        #expect(strays.isEmpty, "a temp file was left: \(strays)")
    }

    // MARK: - Full disk

    @Test(.enabled(if: canMount, "needs root and mount(2) for a small tmpfs"))
    func aFullDiskLeavesTheVaultUntouchedAndSaysSo() throws {
        let world = try HardeningWorld()
        let disk = try Tmpfs(world.secrets, world: world, size: "64k")
        defer { disk.unmount() }
        try world.initVault()
        let old = HardeningWorld.marker("fits", length: 16 * 1024)
        #expect(try world.run(["set", "A", "--raw"], stdin: old).exitCode == 0)
        let before = try HardeningWorld.readFile(world.vault)

        // The new file needs about 75 KiB beside the old one: more than the disk has left.
        let done = try world.run(["set", "B", "--raw"], stdin: HardeningWorld.marker("too-big", length: 40 * 1024))
        #expect(done.exitCode == 73, "\(done.stderr)")
        #expect(done.stdout.isEmpty)
        #expect(done.stderr.contains("secretctl: error: cannot write \(world.vault): No space left on device; the vault was not changed"), "\(done.stderr)")
        #expect(!done.stderr.contains("too-big") && !done.stderr.contains("fits-"))
        try Self.expectUnchanged(world, before, value: old, name: "A")

        // Once there is room again, the same write succeeds.
        let small = try world.run(["set", "B"], stdin: Array("small".utf8))
        #expect(small.exitCode == 0, "\(small.stderr)")
        #expect(try world.value("B") == Array("small".utf8))
    }

    /// A disk so full that not even the empty lock file or temp file can be created.
    @Test(.enabled(if: canMount, "needs root and mount(2) for a small tmpfs"))
    func aDiskWithNoRoomForTheTempFileFailsCleanly() throws {
        let world = try HardeningWorld()
        let disk = try Tmpfs(world.secrets, world: world, size: "64k")
        defer { disk.unmount() }
        try world.initVault()
        #expect(try world.run(["set", "A"], stdin: Array("kept".utf8)).exitCode == 0)
        let before = try HardeningWorld.readFile(world.vault)
        // Fill the rest of the disk.
        let filler = world.secrets + "/filler"
        let fd = open(filler, O_WRONLY | O_CREAT, 0o600)
        let block = [UInt8](repeating: 0x2E, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        close(fd)

        let done = try world.run(["set", "A"], stdin: Array("lost".utf8))
        #expect(done.exitCode == 73, "\(done.stderr)")
        #expect(done.stdout.isEmpty)
        #expect(done.stderr.contains("No space left on device"), "\(done.stderr)")
        #expect(!done.stderr.contains("lost") && !done.stderr.contains("kept"))
        try Self.expectUnchanged(world, before, value: Array("kept".utf8), name: "A")
    }

    // MARK: - Read-only

    @Test(.enabled(if: canMount, "needs root and mount(2): chmod does not stop root"), arguments: [true, false])
    func aReadOnlyFolderLeavesTheVaultUntouchedAndSaysSo(lockFileExists: Bool) throws {
        let world = try HardeningWorld()
        let disk = try Tmpfs(world.secrets, world: world, size: "1m")
        defer { disk.unmount() }
        try world.initVault()
        #expect(try world.run(["set", "A"], stdin: Array("read-only-value".utf8)).exitCode == 0)
        if !lockFileExists { unlink(world.vault + ".lock") }
        let before = try HardeningWorld.readFile(world.vault)
        try disk.remountReadOnly()

        for command in [["set", "A"], ["rm", "A"], ["generate", "B"], ["rotate", "A"]] {
            let done = try world.run(command, stdin: Array("replacement".utf8))
            #expect(done.exitCode == 73, "\(command): \(done.stderr)")
            #expect(done.stdout.isEmpty)
            #expect(done.stderr.contains("Read-only file system"), "\(command): \(done.stderr)")
            #expect(!done.stderr.contains("read-only-value") && !done.stderr.contains("replacement"))
        }
        try Self.expectUnchanged(world, before, value: Array("read-only-value".utf8), name: "A")

        // Reading needs no write: get and list still work on read-only media.
        let get = try world.run(["get", "A"])
        #expect(get.exitCode == 0, "\(get.stderr)")
        #expect(get.stdout == Array("read-only-value".utf8))
        #expect(try world.run(["list"]).exitCode == 0)
    }

    /// `init` into a read-only folder fails with 73 and takes its new key file back.
    @Test(.enabled(if: canMount, "needs root and mount(2): chmod does not stop root"))
    func initIntoAReadOnlyFolderLeavesNoKeyBehind() throws {
        let world = try HardeningWorld()
        let disk = try Tmpfs(world.secrets, world: world, size: "64k")
        defer { disk.unmount() }
        try disk.remountReadOnly()
        let done = try world.run(["init"])
        #expect(done.exitCode == 73, "\(done.stderr)")
        #expect(done.stderr.contains("Read-only file system"), "\(done.stderr)")
        let keys = (try? HardeningWorld.list(world.config + "/secretctl/keys")) ?? []
        #expect(keys.isEmpty, "init left key files \(keys) for a vault it could not create")
    }

    /// Without root, a 0555 folder is read-only.
    @Test(.enabled(if: !isRoot, "root ignores folder permissions; the tmpfs tests cover this"))
    func aNonWritableFolderLeavesTheVaultUntouched() throws {
        let world = try HardeningWorld()
        try world.initVault()
        #expect(try world.run(["set", "A"], stdin: Array("kept".utf8)).exitCode == 0)
        unlink(world.vault + ".lock")
        let before = try HardeningWorld.readFile(world.vault)
        chmod(world.secrets, 0o555)
        defer { chmod(world.secrets, 0o755) }
        let done = try world.run(["set", "A"], stdin: Array("lost".utf8))
        #expect(done.exitCode == 73, "\(done.stderr)")
        #expect(done.stderr.contains("Permission denied"), "\(done.stderr)")
        try Self.expectUnchanged(world, before, value: Array("kept".utf8), name: "A")
    }

    // MARK: - File size limit

    /// RLIMIT_FSIZE (as `ulimit -f` or a container sets it): the write fails with EFBIG instead
    /// of the process dying of SIGXFSZ, and the vault is untouched.
    @Test(.enabled(if: HardeningWorld.tool("prlimit") != nil, "needs prlimit (util-linux)"))
    func aFileSizeLimitFailsTheWriteCleanly() throws {
        let world = try HardeningWorld()
        try world.initVault()
        let old = HardeningWorld.marker("small", length: 1024)
        #expect(try world.run(["set", "A", "--raw"], stdin: old).exitCode == 0)
        let before = try HardeningWorld.readFile(world.vault)
        let prlimit = try #require(HardeningWorld.tool("prlimit"))
        let done = try world.run(
            ["set", "B", "--raw"], stdin: HardeningWorld.marker("large", length: 64 * 1024), wrapper: [prlimit, "--fsize=32768", "--"])
        #expect(done.signal == nil, "secretctl died of signal \(done.signal ?? 0)")
        #expect(done.exitCode == 73, "\(done.stderr)")
        #expect(done.stdout.isEmpty)
        #expect(done.stderr.contains("File too large"), "\(done.stderr)")
        try Self.expectUnchanged(world, before, value: old, name: "A")
    }
}
