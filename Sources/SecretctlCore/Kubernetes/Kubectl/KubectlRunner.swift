package import SecretctlCrypto

/// Runs kubectl. The one way secretctl reaches a cluster, so tests can put a
/// recording stand-in in its place. Values travel only in `input` (kubectl's
/// stdin), never in `arguments`, which any local user can read in /proc.
package protocol KubectlRunner: Sendable {
    func run(_ arguments: [String], input: SecureBytes?) async throws(SecretctlError) -> KubectlResult
}

/// What a kubectl run left behind.
package struct KubectlResult: Sendable {
    package var status: Int32
    /// May hold values (`get secret -o json`), so it stays in a wiping buffer.
    package var stdout: SecureBytes
    package var stderr: String

    package init(status: Int32, stdout: SecureBytes = SecureBytes(), stderr: String = "") {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    package var succeeded: Bool { status == 0 }

    /// stdout as text, for commands whose output holds no value.
    package var stdoutText: String {
        stdout.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }
}
