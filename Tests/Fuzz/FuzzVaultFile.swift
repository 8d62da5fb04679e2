// libFuzzer target: the vault text parser (docs/vault-format.md, "Layout").
// Built by Tests/Fuzz/run against the package's SecretctlCore module; not part of `swift build`.
import SecretctlCore
import SecretctlCrypto

/// A fixed key: it never opens a fuzzed header, but unwrapping must fail cleanly.
let fixedKey = SecureBytes(copying: [UInt8](repeating: 0x42, count: 32))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVaultFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // Typed throws: VaultFormatError is the only way out besides a file.
    guard let file = try? VaultFile.parse(bytes) else { return 0 }
    // Whatever the parser accepts is canonical: exactly what the writer would produce.
    precondition(file.bytes == bytes, "parse accepted a file the writer would not produce")
    precondition(!file.header.unlockers.isEmpty && file.header.unlockers.count <= 16, "unlocker count out of range")
    precondition(file.payloadNonce.count == 12 && file.sealedPayload.count >= 16, "nonce or payload size out of range")
    precondition(file.header.vaultID.utf8.count == 32, "vault id length")
    // Reparsing the writer's bytes gives the same file.
    precondition((try? VaultFile.parse(file.bytes)) == file, "not stable under reparse")
    // Key unlockers only: a passphrase line may legally ask scrypt for up to 4 GiB.
    if !file.header.unlockers.contains(where: \.isPassphrase) {
        _ = try? VaultCrypto.unwrap(file.header, with: .key(fixedKey))
    }
    return 0
}
