#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SecretctlCore
import Testing

/// What the process does around its secrets: core dumps off, not dumpable, buffers locked
/// in memory, and (under `strace -f`) no value in any execve argument, no file opened for
/// writing except the vault's temp file and lock (and the key file at init), and values
/// written only to stdout or kubectl's stdin pipe.
@Suite("Hardening: process hygiene", .serialized)
struct HardeningHygieneTests {
    static let value = "hygiene-Zq8vK3-do-not-leak-0451"
    static var valueBase64: String { Base64.encode(Array(value.utf8)) }
    static let strace = HardeningWorld.tool("strace")

    // MARK: - Core dumps, dumpable, mlock

    /// A `secretctl set` that has read its value and now waits at a held lock.
    static func waitingWriter(_ world: HardeningWorld, wrapper: [String] = []) throws -> (HardeningWorld.Running, HardeningConcurrencyTests.HeldLock) {
        try world.initVault()
        let lockPath = world.vault + ".lock"
        let held = try HardeningConcurrencyTests.HeldLock(lockPath)
        chmod(lockPath, 0o666)
        let running = try world.start(
            [try HardeningWorld.binary(), "set", "WAITING"], stdin: Array(value.utf8), env: ["SECRETCTL_LOCK_TIMEOUT": "60"],
            wrapper: wrapper)
        // Wait until the binary itself runs (env and setpriv exec into it) and holds the value.
        let deadline = HardeningWorld.now() + 20
        while HardeningWorld.now() < deadline {
            if let comm = try? HardeningWorld.readFile("/proc/\(running.pid)/comm"), String(decoding: comm, as: UTF8.self) == "secretctl\n",
                let wchan = try? HardeningWorld.readFile("/proc/\(running.pid)/status"),
                String(decoding: wchan, as: UTF8.self).contains("State:\tS")
            {
                HardeningWorld.sleep(seconds: 0.2)
                return (running, held)
            }
            HardeningWorld.sleep(seconds: 0.02)
        }
        kill(running.pid, SIGKILL)
        _ = try world.wait(running)
        throw SecretctlError(.failure, "secretctl did not reach the lock wait")
    }

    static func statusField(_ pid: pid_t, _ field: String) throws -> String {
        let text = String(decoding: try HardeningWorld.readFile("/proc/\(pid)/status"), as: UTF8.self)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(field + ":") }, "no \(field) in /proc/\(pid)/status")
        return line.dropFirst(field.count + 1).trimmingCharacters(in: " \t")
    }

    @Test func coreDumpsAreOffAndSecretBuffersAreLocked() throws {
        let world = try HardeningWorld()
        let (running, held) = try Self.waitingWriter(world)
        defer {
            kill(running.pid, SIGKILL)
            _ = try? world.wait(running)
            held.release()
        }
        let limits = String(decoding: try HardeningWorld.readFile("/proc/\(running.pid)/limits"), as: UTF8.self)
        let core = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }, "no core line in limits")
        let fields = core.split(separator: " ", omittingEmptySubsequences: true)
        #expect(fields.count >= 6 && fields[4] == "0" && fields[5] == "0", "core dumps are not off: \(core)")
        // The value it read sits in an mlock'ed buffer (root, or RLIMIT_MEMLOCK, allows it here).
        let locked = try Self.statusField(running.pid, "VmLck")
        #expect(locked != "0 kB", "no memory is locked: VmLck \(locked)")
    }

    /// A non-dumpable process's /proc files belong to root, whoever runs it. As root this needs
    /// a process with another uid, so it runs under `setpriv` as nobody; a control process
    /// (sleep) shows the files would otherwise belong to nobody.
    @Test(.enabled(if: HardeningWorld.tool("setpriv") != nil || geteuid() != 0, "needs setpriv (util-linux) as root"))
    func theProcessIsNotDumpable() throws {
        let world = try HardeningWorld()
        let asOther = geteuid() == 0 ? [try #require(HardeningWorld.tool("setpriv")), "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : []
        let expectedOwner: uid_t = geteuid() == 0 ? 65534 : geteuid()
        let control = try world.start(["/bin/sleep", "30"], wrapper: asOther)
        defer {
            kill(control.pid, SIGKILL)
            _ = try? world.wait(control)
        }
        let (running, held) = try Self.waitingWriter(world, wrapper: asOther)
        defer {
            kill(running.pid, SIGKILL)
            _ = try? world.wait(running)
            held.release()
        }
        HardeningWorld.sleep(seconds: 0.1)
        var info = stat()
        try #require(stat("/proc/\(control.pid)/status", &info) == 0)
        #expect(info.st_uid == expectedOwner, "control: a dumpable process's /proc files should belong to its uid")
        #expect(try Self.statusField(running.pid, "Uid").hasPrefix("\(expectedOwner)"))
        try #require(stat("/proc/\(running.pid)/status", &info) == 0)
        #expect(info.st_uid == 0, "secretctl's /proc files belong to uid \(info.st_uid): it is still dumpable")
    }

    // MARK: - strace

    /// One syscall line of `strace -f -y -o`.
    struct Call {
        var pid: Int
        var name: String
        var text: String

        /// The first quoted argument (a path for open/execve).
        var firstString: String? {
            guard let start = text.firstIndex(of: "\"") else { return nil }
            let rest = text[text.index(after: start)...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<end])
        }

        /// `write(7</path>, ...` -> "7</path>".
        var descriptor: String {
            guard let open = text.firstIndex(of: "("), let comma = text[open...].firstIndex(of: ",") else { return "" }
            return String(text[text.index(after: open)..<comma])
        }

        var opensForWriting: Bool {
            switch name {
            case "creat": return true
            case "open", "openat", "openat2":
                return ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"].contains { text.contains($0) }
            default: return false
            }
        }
    }

    /// The calls of secretctl and of its children up to their own execve (after it they are
    /// other programs: kubectl's stand-in, exec's command).
    struct Trace {
        var calls: [Call] = []
        var execs: [Call] = []

        init(_ text: String, binary: String) {
            var foreign: Set<Int> = []
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, let pid = Int(parts[0]) else { continue }
                // strace pads the pid column: "1661  execve(...)".
                let rest = String(parts[1].drop { $0 == " " })
                let name = String(rest.prefix { $0 != "(" && $0 != " " })
                let call = Call(pid: pid, name: name, text: rest)
                if name == "execve" {
                    execs.append(call)
                    // With several threads strace splits the call ("<unfinished ...>" then
                    // "<... execve resumed> = 0"), so any execve of another program marks the pid:
                    // a forked child only sets up and execs; its later calls are that program's.
                    if call.firstString != binary { foreign.insert(pid) }
                    continue
                }
                if !foreign.contains(pid) { calls.append(call) }
            }
        }

        var writableOpens: [String] { calls.filter(\.opensForWriting).compactMap(\.firstString) }
        func writes(containing needle: String) -> [Call] {
            calls.filter { ["write", "writev", "pwrite64", "pwritev", "pwritev2", "sendto", "sendmsg"].contains($0.name) && $0.text.contains(needle) }
        }
    }

    static func traced(
        _ world: HardeningWorld, _ arguments: [String], stdin: [UInt8] = [], env: [String: String] = [:]
    ) throws -> (HardeningWorld.Finished, Trace) {
        let strace = try #require(Self.strace, "strace is not installed (apt-get install strace)")
        let log = world.io + "/strace-\(arguments[0]).log"
        let done = try world.run(
            arguments, stdin: stdin, env: env,
            wrapper: [
                strace, "-f", "-qq", "-y", "-s", "65536", "-o", log, "-e",
                "trace=execve,open,openat,openat2,creat,write,writev,pwrite64,pwritev,pwritev2,sendto,sendmsg,rename,renameat,renameat2,link,linkat,truncate",
                "--",
            ])
        let text = String(decoding: try HardeningWorld.readFile(log), as: UTF8.self)
        return (done, Trace(text, binary: try HardeningWorld.binary()))
    }

    static func expectNoValueInExecve(_ trace: Trace, _ what: String) {
        #expect(!trace.execs.isEmpty, "\(what): strace saw no execve")
        for call in trace.execs {
            #expect(!call.text.contains(value) && !call.text.contains(valueBase64), "\(what): a value in execve: \(call.text.prefix(300))")
        }
    }

    @Test(.enabled(if: strace != nil, "needs strace"))
    func initOpensOnlyTheKeyFileTheLockAndTheTempFileForWriting() throws {
        let world = try HardeningWorld()
        let (done, trace) = try Self.traced(world, ["init"])
        #expect(done.exitCode == 0, "\(done.stderr)")
        Self.expectNoValueInExecve(trace, "init")
        let key = try #require(try HardeningWorld.list(world.config + "/secretctl/keys").first)
        for path in trace.writableOpens {
            // known-keys: this machine's memory of the vault's data key (a one-way check), written atomically.
            let allowed = path == world.vault + ".lock" || path.hasPrefix(world.secrets + "/.dev.vault.tmp-")
                || path == world.config + "/secretctl/keys/" + key || path.hasPrefix(world.config + "/secretctl/known-keys/.")
            #expect(allowed, "init opened \(path) for writing")
        }
        #expect(trace.writableOpens.contains(world.config + "/secretctl/keys/" + key))
    }

    @Test(.enabled(if: strace != nil, "needs strace"))
    func setWritesTheValueNowhereAndOpensOnlyTheLockAndTempFile() throws {
        let world = try HardeningWorld()
        try world.initVault()
        let (done, trace) = try Self.traced(world, ["set", "HYG"], stdin: Array(Self.value.utf8))
        #expect(done.exitCode == 0, "\(done.stderr)")
        Self.expectNoValueInExecve(trace, "set")
        let opens = trace.writableOpens
        #expect(opens.contains(world.vault + ".lock"))
        #expect(opens.contains { $0.hasPrefix(world.secrets + "/.dev.vault.tmp-") }, "no temp file: \(opens)")
        for path in opens {
            #expect(path == world.vault + ".lock" || path.hasPrefix(world.secrets + "/.dev.vault.tmp-"), "set opened \(path) for writing")
        }
        #expect(trace.writes(containing: Self.value).isEmpty, "the value was written somewhere")
        #expect(trace.writes(containing: Self.valueBase64).isEmpty)
        #expect(try world.value("HYG") == Array(Self.value.utf8))
    }

    @Test(.enabled(if: strace != nil, "needs strace"))
    func getAndRenderWriteTheValueOnlyToStdoutAndOpenNothingForWriting() throws {
        let world = try HardeningWorld()
        try world.initVault()
        #expect(try world.run(["set", "HYG"], stdin: Array(Self.value.utf8)).exitCode == 0)
        for (arguments, needle) in [(["get", "HYG"], Self.value), (["render", "--all", "--name", "app"], Self.valueBase64)] {
            let (done, trace) = try Self.traced(world, arguments)
            #expect(done.exitCode == 0, "\(arguments): \(done.stderr)")
            #expect(done.stdoutText.contains(needle))
            Self.expectNoValueInExecve(trace, arguments[0])
            #expect(trace.writableOpens.isEmpty, "\(arguments[0]) opened \(trace.writableOpens) for writing")
            let writes = trace.writes(containing: needle)
            #expect(!writes.isEmpty)
            for call in writes {
                #expect(call.descriptor.hasPrefix("1<"), "\(arguments[0]) wrote the value to \(call.descriptor)")
            }
        }
    }

    @Test(.enabled(if: strace != nil, "needs strace"))
    func applyHandsTheManifestToKubectlOnStdinOnly() throws {
        let world = try HardeningWorld()
        try world.initVault()
        #expect(try world.run(["set", "HYG"], stdin: Array(Self.value.utf8)).exitCode == 0)
        let record = world.root + "/kubectl-record"
        mkdir(record, 0o700)
        let kubectl = world.root + "/kubectl"
        // `get` answers NotFound (no live Secret yet); `apply` keeps its stdin and argv.
        try HardeningWorld.writeFile(
            kubectl,
            Array("""
                #!/bin/sh
                case " $* " in
                  *" get "*) echo 'Error from server (NotFound): secrets "app" not found' >&2; exit 1 ;;
                  *" apply "*) printf '%s\\n' "$@" > '\(record)/apply.argv'; cat > '\(record)/apply.stdin'
                     echo 'secret/app serverside-applied' ;;
                  *) exit 3 ;;
                esac

                """.utf8), mode: 0o755)
        let (done, trace) = try Self.traced(world, ["apply", "--all", "--name", "app"], env: ["KUBECTL": kubectl])
        #expect(done.exitCode == 0, "\(done.stderr)")
        Self.expectNoValueInExecve(trace, "apply")
        #expect(trace.execs.contains { $0.firstString == kubectl }, "kubectl was not run")
        #expect(trace.writableOpens.isEmpty, "apply opened \(trace.writableOpens) for writing")
        let writes = trace.writes(containing: Self.valueBase64)
        #expect(!writes.isEmpty, "the manifest was never written to kubectl")
        for call in writes {
            #expect(call.descriptor.contains("pipe:"), "apply wrote the manifest to \(call.descriptor), not a pipe")
        }
        let stdin = String(decoding: try HardeningWorld.readFile(record + "/apply.stdin"), as: UTF8.self)
        #expect(stdin.contains("kind: Secret") && stdin.contains(Self.valueBase64), "kubectl's stdin: \(stdin.prefix(200))")
        let argv = String(decoding: try HardeningWorld.readFile(record + "/apply.argv"), as: UTF8.self)
        #expect(argv.contains("-f\n-\n") && !argv.contains(Self.valueBase64) && !argv.contains(Self.value))
        #expect(!done.stdoutText.contains(Self.valueBase64) && !done.stderr.contains(Self.valueBase64))
    }

    @Test(.enabled(if: strace != nil, "needs strace"))
    func execPutsValuesInTheEnvironmentNotInArgv() throws {
        let world = try HardeningWorld()
        try world.initVault()
        #expect(try world.run(["set", "HYG"], stdin: Array(Self.value.utf8)).exitCode == 0)
        let (done, trace) = try Self.traced(world, ["exec", "--", "/bin/sh", "-c", "test \"${#HYG}\" = \(Self.value.utf8.count)"])
        #expect(done.exitCode == 0, "the child did not see HYG: \(done.stderr)")
        Self.expectNoValueInExecve(trace, "exec")
        #expect(trace.execs.contains { $0.firstString == "/bin/sh" })
        #expect(trace.writableOpens.isEmpty, "exec opened \(trace.writableOpens) for writing")
        #expect(trace.writes(containing: Self.value).isEmpty)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
