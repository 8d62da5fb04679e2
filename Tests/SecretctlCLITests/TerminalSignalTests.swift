import Foundation
import SecretctlCore
import Testing

/// A signal at the no-echo prompt (Ctrl-C, a closed terminal, kill) leaves the terminal
/// echoing again. The built binary runs on a pseudo-terminal from Python's `pty` module;
/// every wait is bounded.
struct TerminalSignalTests {
    /// Starts `secretctl set NAME` on a new pty, waits for the prompt, checks that echo went
    /// off, sends the signal (Ctrl-C as a typed 0x03 byte), and prints the exit status and
    /// whether echo is on afterwards.
    static let script = #"""
        import os, pty, select, signal, subprocess, sys, termios, time, fcntl
        binary, how = sys.argv[1], sys.argv[2]
        master, slave = os.openpty()
        def controlling():
            # As from an interactive shell: the test runner may block or ignore these signals,
            # and a child inherits both.
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(number, signal.SIG_DFL)
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        child = subprocess.Popen([binary, "set", "TYPED_AT_THE_PROMPT"], stdin=slave, stdout=slave, stderr=slave,
                                 preexec_fn=controlling, close_fds=True)
        seen, deadline = b"", time.time() + 30
        while b"Value for" not in seen and time.time() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                seen += os.read(master, 1024)
        if b"Value for" not in seen:
            child.kill(); print("no prompt:", seen); sys.exit(2)
        time.sleep(0.2)
        echo_at_prompt = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
        if how == "ctrl-c":
            os.write(master, b"\x03")
        else:
            child.send_signal({"term": signal.SIGTERM, "hup": signal.SIGHUP}[how])
        try:
            status = child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill(); print("did not end"); sys.exit(2)
        echo_after = bool(termios.tcgetattr(slave)[3] & termios.ECHO)
        print(f"status={status} echo_at_prompt={echo_at_prompt} echo_after={echo_after}")
        """#

    @Test(arguments: [("ctrl-c", SIGINT), ("term", SIGTERM), ("hup", SIGHUP)])
    func aSignalAtThePromptRestoresEcho(how: String, signal: Int32) async throws {
        let sandbox = try TestSandbox()
        try await sandbox.initVault()
        let binary = try BuiltBinary.require()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, binary, how]
        process.environment = sandbox.processEnvironment()
        process.currentDirectoryURL = URL(fileURLWithPath: sandbox.project)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "the pty driver failed:\n\(output)")
        #expect(output.contains("echo_at_prompt=False"), "echo was off at the prompt: \(output)")
        #expect(output.contains("status=-\(signal)"), "the signal still ends the process: \(output)")
        #expect(output.contains("echo_after=True"), "the terminal echoes again: \(output)")
    }
}
