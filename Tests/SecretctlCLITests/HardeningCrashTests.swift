#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SecretctlCore
import Testing

/// Kills `secretctl set` with SIGKILL at random moments and checks after every kill that the
/// vault opens and holds exactly the old value or exactly the new one.
@Suite("Hardening: SIGKILL during set", .serialized)
struct HardeningCrashTests {
    static let rounds = 300
    /// Large enough that encrypting, writing and fsyncing the vault takes a few
    /// milliseconds, which widens the window a kill can land in. With the 5 kept previous
    /// versions the vault holds about 384 KiB of plaintext.
    static let valueSize = 64 * 1024

    /// Even rounds kill at a uniformly random moment of a whole run (start-up, lock,
    /// decrypt, encrypt, write, fsync, rename, exit); odd rounds watch the folder and kill
    /// 0 to 3 ms after the writer's temp file appears, to land inside the write itself.
    enum Timing { case anyMoment, duringTheWrite }

    @Test func sigkillAtRandomMomentsLeavesOldOrNewValueNeverAMix() throws {
        let world = try HardeningWorld()
        try world.initVault()
        let binary = try HardeningWorld.binary()
        let arguments = [binary, "set", "BIG", "--raw"]

        var current = HardeningWorld.marker("round-0", length: Self.valueSize)
        let first = try world.run(["set", "BIG", "--raw"], stdin: current)
        try #require(first.exitCode == 0, "the first set failed: \(first.stderr)")

        // How long one whole `set` takes here, from spawn to exit.
        var durations: [Double] = []
        for index in 1...5 {
            current = HardeningWorld.marker("calibrate-\(index)", length: Self.valueSize)
            let start = HardeningWorld.now()
            let done = try world.wait(world.start(arguments, stdin: current))
            durations.append(HardeningWorld.now() - start)
            try #require(done.exitCode == 0, "calibration set failed: \(done.stderr)")
        }
        let window = durations.sorted()[durations.count / 2] * 1.3

        var keptOld = 0
        var tookNew = 0
        var killedMidWrite = 0
        var finishedBeforeKill = 0
        for round in 1...Self.rounds {
            let timing: Timing = round % 2 == 0 ? .anyMoment : .duringTheWrite
            let next = HardeningWorld.marker("round-\(round)", length: Self.valueSize)
            let running = try world.start(arguments, stdin: next)
            var ended = false
            switch timing {
            case .anyMoment:
                HardeningWorld.sleep(seconds: Double.random(in: 0...window))
            case .duringTheWrite:
                let deadline = HardeningWorld.now() + window * 4
                while HardeningWorld.now() < deadline {
                    if try !world.strayTemporaryFiles().isEmpty { break }
                    if let done = world.poll(running) {
                        ended = true
                        #expect(done.exitCode == 0, "round \(round): \(done.stderr)")
                        break
                    }
                    HardeningWorld.sleep(seconds: 0.0002)
                }
                HardeningWorld.sleep(seconds: Double.random(in: 0...0.003))
            }
            if !ended {
                kill(running.pid, SIGKILL)
                let done = try world.wait(running)
                if done.signal == nil { finishedBeforeKill += 1 }
            } else {
                finishedBeforeKill += 1
            }

            // The vault must open, stray temp files or not, and hold one of the two values.
            let stored: [UInt8]?
            do {
                stored = try world.value("BIG")
            } catch {
                Issue.record("round \(round): the vault does not open after SIGKILL: \(error)")
                return
            }
            let strays = try world.strayTemporaryFiles()
            if !strays.isEmpty { killedMidWrite += 1 }
            if stored == current {
                keptOld += 1
            } else if stored == next {
                tookNew += 1
                current = next
                // The process that renamed its file had removed older temp files under the
                // lock first, and its own was consumed by the rename.
                #expect(strays.isEmpty, "round \(round): a completed writer left \(strays)")
            } else {
                Issue.record("round \(round): the vault holds neither the old nor the new value (\(stored?.count ?? -1) bytes)")
                return
            }
        }

        // The kills landed on both sides of the rename, and some inside the write.
        #expect(keptOld > 0, "no kill landed before the rename (window \(window) s)")
        #expect(tookNew > 0, "no kill landed after the rename (window \(window) s)")
        #expect(killedMidWrite > 0, "no kill landed between creating the temp file and the rename")

        // The next writer cleans whatever the killed ones left behind.
        let last = HardeningWorld.marker("final", length: 64)
        let done = try world.run(["set", "BIG", "--raw"], stdin: last)
        #expect(done.exitCode == 0, "\(done.stderr)")
        #expect(try world.strayTemporaryFiles().isEmpty)
        #expect(try world.value("BIG") == last)
        print("crash safety: \(Self.rounds) SIGKILLs (one run takes \(Int(window / 1.3 * 1000)) ms): "
            + "\(keptOld) kept the old value, \(tookNew) had the new one (\(finishedBeforeKill) finished before the kill), "
            + "\(killedMidWrite) were killed mid-write and left a temp file")
    }

    /// A stray temp file (as a writer killed mid-write leaves) is never read and is removed
    /// by the next writer; `get` and `list` do not touch it.
    @Test func strayTemporaryFilesAreIgnoredByReadersAndRemovedByTheNextWriter() async throws {
        let world = try HardeningWorld()
        try world.initVault()
        #expect(try world.run(["set", "A"], stdin: Array("first-value".utf8)).exitCode == 0)
        let stray = world.secrets + "/.dev.vault\(AtomicFile.temporaryMarker)0123456789abcdef"
        try HardeningWorld.writeFile(stray, Array("secretctl-vault/v1\nhalf a file".utf8))

        let get = await world.runInProcess(["get", "A"])
        #expect(get.code == 0, "\(get.stderr)")
        #expect(get.stdout == Array("first-value".utf8))
        let list = await world.runInProcess(["list"])
        #expect(list.code == 0, "\(list.stderr)")
        #expect(try world.strayTemporaryFiles() == [Path.lastComponent(stray)], "a reader removed or renamed the temp file")

        let set = await world.runInProcess(["set", "A"], stdin: Array("second-value".utf8))
        #expect(set.code == 0, "\(set.stderr)")
        #expect(try world.strayTemporaryFiles().isEmpty)
        #expect(try world.value("A") == Array("second-value".utf8))
    }
}
