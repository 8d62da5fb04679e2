// Throughput of secretctl's AES-256-GCM path, for bench/crypto/run (not part of `swift build`).
// Prints one JSON object per measurement on stdout.
import SecretctlCore
import SecretctlCrypto
#if canImport(Glibc)
import Glibc
#endif

/// This thread's CPU time (user + system), so a busy machine does not count against it;
/// `openssl speed` also counts CPU time (user time, unless -elapsed).
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Runs `body` repeatedly for about `seconds` and returns bytes per second.
func throughput(bytes: Int, seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    try body()  // warm up
    var count = 0
    let start = now()
    var elapsed = 0.0
    repeat {
        try body()
        count += 1
        elapsed = now() - start
    } while elapsed < seconds
    return Double(count * bytes) / elapsed
}

@main
struct AESGCMBench {
    static func main() throws {
        let arguments = CommandLine.arguments
        let size = arguments.count > 1 ? Int(arguments[1])! : 1 << 20
        let seconds = arguments.count > 2 ? Double(arguments[2])! : 2
        let key = try SecureRandom.secureBytes(32)
        let nonce = try SecureRandom.bytes(12)
        let plaintext = try SecureRandom.secureBytes(size)
        let aad = Array("secretctl-vault/v1\nid 00000000000000000000000000000000\n".utf8)
        var sealed: [UInt8] = []

        // AESGCM.seal / open: SecureBytes in and out (open allocates its output from the locked
        // pool and wipes it when released; both count here).
        let seal = try throughput(bytes: size, seconds: seconds) { sealed = try AESGCM.seal(plaintext, key: key, nonce: nonce, authenticating: aad) }
        let open = try throughput(bytes: size, seconds: seconds) { _ = try AESGCM.open(sealed, key: key, nonce: nonce, authenticating: aad) }
        // The same with the pool emptied before each call: what the first open in a process pays
        // (fresh pages: mmap, mlock, page faults, munmap).
        let openCold = try throughput(bytes: size, seconds: seconds) {
            SecureBytes.releaseCachedMemory()
            _ = try AESGCM.open(sealed, key: key, nonce: nonce, authenticating: aad)
        }
        // The wipe alone: a 1 MiB SecureBytes written once and released (explicit_bzero).
        let wipe = throughput(bytes: size, seconds: seconds) {
            _ = SecureBytes(unsafeUninitializedCount: size) { $0.initializeMemory(as: UInt8.self, repeating: 1) }
        }

        // The whole vault path for one entry of `size` bytes: payload encoding, AES-GCM, base64
        // and the text form (VaultCrypto.seal + VaultFile.bytes), and back (parse + open + decode).
        let header = VaultHeader(vaultID: String(repeating: "0", count: 32), unlockers: [.key(keyID: String(repeating: "1", count: 16), nonce: nonce, wrapped: [UInt8](repeating: 2, count: 48))])
        var contents = VaultContents()
        VaultEditor.set(&contents, name: "BIG", value: SecretValue(plaintext), recipe: nil, keepRecipe: false, now: 0)
        var file: [UInt8] = []
        let vaultSeal = try throughput(bytes: size, seconds: seconds) { file = try VaultCrypto.seal(contents, dataKey: key, header: header).bytes }
        let vaultOpen = try throughput(bytes: size, seconds: seconds) { _ = try VaultCrypto.open(try VaultFile.parse(file), dataKey: key) }
        // The read path in parts.
        let parse = try throughput(bytes: size, seconds: seconds) { _ = try VaultFile.parse(file) }
        let parsed = try VaultFile.parse(file)
        let decrypt = try throughput(bytes: size, seconds: seconds) { _ = try VaultCrypto.open(parsed, dataKey: key) }

        for (name, value) in [("AESGCM.seal", seal), ("AESGCM.open", open), ("AESGCM.open cold", openCold), ("SecureBytes fill+wipe", wipe), ("vault seal (encode+seal+base64)", vaultSeal), ("vault open (parse+open+decode)", vaultOpen), ("vault parse", parse), ("vault open of a parsed file", decrypt)] {
            print("{\"name\": \"\(name)\", \"bytes\": \(size), \"bytes_per_second\": \(value)}")
        }
    }
}
