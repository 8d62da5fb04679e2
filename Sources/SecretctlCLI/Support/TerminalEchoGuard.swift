#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts the terminal back when a signal ends the process while echo is off: without it,
/// Ctrl-C at the passphrase prompt leaves the shell not echoing what is typed.
///
/// While a prompt reads, SIGINT, SIGTERM and SIGHUP run `restore`, which resets the saved
/// terminal settings (tcsetattr is async-signal-safe), puts the previous action back and
/// raises the signal again, so the process still ends the way the signal asks. The handler
/// touches only memory allocated before it was installed: no allocation, no locks.
enum TerminalEchoGuard {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Storage the handler reads; allocated once, before any handler can run.
    nonisolated(unsafe) private static let settings = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    nonisolated(unsafe) private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 3)
    nonisolated(unsafe) private static var terminal: Int32 = -1

    /// Runs `body` with the handlers installed; `original` holds `fd`'s settings before echo went off.
    static func protecting<R>(fd: Int32, original: termios, _ body: () throws -> R) rethrows -> R {
        withSignalsBlocked {
            settings.pointee = original
            terminal = fd
            for (index, signal) in signals.enumerated() {
                var action = sigaction()
                action.__sigaction_handler.sa_handler = { signal in TerminalEchoGuard.restore(signal) }
                sigemptyset(&action.sa_mask)
                action.sa_flags = 0
                sigaction(signal, &action, previous + index)
            }
        }
        defer {
            withSignalsBlocked {
                for (index, signal) in signals.enumerated() { sigaction(signal, previous + index, nil) }
                terminal = -1
            }
        }
        return try body()
    }

    private static func restore(_ signal: Int32) {
        if terminal >= 0 { tcsetattr(terminal, TCSANOW, settings) }
        let index = signal == SIGINT ? 0 : signal == SIGTERM ? 1 : 2
        // The action from before the prompt, usually the default one: end the process. The
        // raised signal is delivered when this handler returns.
        sigaction(signal, previous + index, nil)
        raise(signal)
    }

    private static func withSignalsBlocked(_ body: () -> Void) {
        var set = sigset_t()
        var old = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, &old)
        body()
        pthread_sigmask(SIG_SETMASK, &old, nil)
    }
}
