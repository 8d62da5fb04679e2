#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SecretctlCore
import Testing

/// Many writers on one vault, and a writer that meets a lock held by someone else.
@Suite("Hardening: concurrent writers and the lock", .serialized)
struct HardeningConcurrencyTests {
    static let writers = 20
    static let writesEach = 10

    static func value(writer: Int, write: Int) -> String { "value-\(writer)-\(write)-\(writer * 7919 + write * 104_729)" }

    /// 20 shell processes each run 10 `secretctl set` one after another, all at once.
    @Test func twentyWritersTimesTenWritesAllLand() throws {
        let world = try HardeningWorld()
        try world.initVault()
        let binary = try HardeningWorld.binary()
        var running: [HardeningWorld.Running] = []
        for writer in 0..<Self.writers {
            var script = "set -e\n"
            for write in 0..<Self.writesEach {
                script += "printf '%s' '\(Self.value(writer: writer, write: write))' | '\(binary)' set W\(writer)_\(write) 2>>'\(world.io)/writer-\(writer).err'\n"
            }
            running.append(try world.start(["/bin/sh", "-c", script]))
        }
        for (writer, process) in running.enumerated() {
            let done = try world.wait(process)
            let errors = (try? HardeningWorld.readFile("\(world.io)/writer-\(writer).err")).map { String(decoding: $0, as: UTF8.self) } ?? ""
            #expect(done.exitCode == 0, "writer \(writer) failed: \(errors)")
        }

        let store = VaultStore(
            path: world.vault,
            environment: ProcessEnvironment(variables: world.environment(), workingDirectory: world.project),
            prompter: NoPrompter())
        let contents = try store.open(allowPrompt: false).contents
        #expect(contents.count == Self.writers * Self.writesEach)
        for writer in 0..<Self.writers {
            for write in 0..<Self.writesEach {
                let entry = try #require(contents["W\(writer)_\(write)"], "W\(writer)_\(write) is missing")
                #expect(entry.current.value.withUnsafeBytes { Array($0) } == Array(Self.value(writer: writer, write: write).utf8))
                #expect(entry.versions.count == 1)
            }
        }
        #expect(try world.strayTemporaryFiles().isEmpty)
    }

    /// Holds the vault's lock the way another secretctl would (flock on `<vault>.lock`).
    final class HeldLock {
        let fd: Int32
        init(_ path: String) throws {
            fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            try #require(fd >= 0, "cannot open \(path)")
            try #require(flock(fd, LOCK_EX | LOCK_NB) == 0, "cannot take the lock")
        }
        func release() {
            flock(fd, LOCK_UN)
        }
        deinit { close(fd) }
    }

    @Test func aHeldLockMakesAWriterWaitThenExit75() throws {
        let world = try HardeningWorld()
        try world.initVault()
        #expect(try world.run(["set", "A"], stdin: Array("before".utf8)).exitCode == 0)
        let before = try HardeningWorld.readFile(world.vault)

        let held = try HeldLock(world.vault + ".lock")
        let start = HardeningWorld.now()
        let done = try world.run(["set", "A"], stdin: Array("after".utf8), env: ["SECRETCTL_LOCK_TIMEOUT": "1"])
        let elapsed = HardeningWorld.now() - start
        held.release()

        #expect(done.exitCode == 75)
        #expect(done.stdout.isEmpty)
        #expect(elapsed >= 1.0, "gave up after \(elapsed) s, before the 1 s timeout")
        #expect(elapsed < 4.0, "waited \(elapsed) s for a 1 s timeout")
        #expect(done.stderr.contains("secretctl: error: another secretctl process is writing \(world.vault); gave up after 1 s"), "\(done.stderr)")
        #expect(done.stderr.contains("secretctl: hint: ") && done.stderr.contains("SECRETCTL_LOCK_TIMEOUT"), "\(done.stderr)")
        #expect(!done.stderr.contains("after\n") && !done.stderr.contains("before"))
        #expect(try HardeningWorld.readFile(world.vault) == before, "the vault changed although the lock was never taken")
    }

    @Test func aWriterWaitingForTheLockProceedsOnceItIsReleased() throws {
        let world = try HardeningWorld()
        try world.initVault()
        let held = try HeldLock(world.vault + ".lock")
        let start = HardeningWorld.now()
        let running = try world.start([try HardeningWorld.binary(), "set", "A"], stdin: Array("waited".utf8), env: ["SECRETCTL_LOCK_TIMEOUT": "20"])
        HardeningWorld.sleep(seconds: 0.5)
        held.release()
        let done = try world.wait(running)
        let elapsed = HardeningWorld.now() - start
        #expect(done.exitCode == 0, "\(done.stderr)")
        #expect(elapsed >= 0.5, "the writer did not wait for the lock (\(elapsed) s)")
        #expect(try world.value("A") == Array("waited".utf8))
    }

    /// Readers take no lock: `get` works while a writer holds it.
    @Test func readersDoNotWaitForTheLock() throws {
        let world = try HardeningWorld()
        try world.initVault()
        #expect(try world.run(["set", "A"], stdin: Array("readable".utf8)).exitCode == 0)
        let held = try HeldLock(world.vault + ".lock")
        defer { held.release() }
        let done = try world.run(["get", "A"], env: ["SECRETCTL_LOCK_TIMEOUT": "0"])
        #expect(done.exitCode == 0, "\(done.stderr)")
        #expect(done.stdout == Array("readable".utf8))
    }
}
