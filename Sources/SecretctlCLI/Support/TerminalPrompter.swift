#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
package import SecretctlCore
package import SecretctlCrypto

/// Reads a secret from `/dev/tty` with echo off. Returns nil when there is no terminal.
package struct TerminalPrompter: SecretPrompter {
    package init() {}

    package func readSecret(prompt: String) throws(SecretctlError) -> SecureBytes? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var original = termios()
        let haveTermios = tcgetattr(fd, &original) == 0
        if haveTermios {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            tcsetattr(fd, TCSAFLUSH, &silent)
        }
        defer { if haveTermios { tcsetattr(fd, TCSAFLUSH, &original) } }
        let read = { () -> (SecureBytes, Int, Bool) in
            FileDescriptorSink(fd: fd).write(prompt)
            var failed = false
            var length = 0
            let buffer = SecureBytes(count: 1 << 16) { raw in
                var byte: UInt8 = 0
                while length < raw.count {
                    let count = Glibc.read(fd, &byte, 1)
                    if count < 0, errno == EINTR { continue }
                    if count <= 0 { failed = length == 0; break }
                    if byte == 0x0A || byte == 0x0D { break }
                    raw[length] = byte
                    length += 1
                }
                byte = 0
            }
            return (buffer, length, failed)
        }
        // A signal while echo is off must not leave the terminal silent.
        let (buffer, length, failed) = haveTermios ? TerminalEchoGuard.protecting(fd: fd, original: original, read) : read()
        if failed { return nil }
        return buffer.slice(0..<length)
    }
}
