// libFuzzer target: the vault text parser (docs/vault-format.md, "Layout").
// Built by Tests/Fuzz/run against the package's SecretctlCore module; not part of `swift build`.
import SecretctlCore
import SecretctlCrypto

/// A fixed key: it never opens a fuzzed header, but unwrapping must fail cleanly.
let fixedKey = SecureBytes(copying: [UInt8](repeating: 0x42, count: 32))

/// The outcome of a parse, by error kind (messages may differ between the two readers).
enum Outcome: Equatable {
    case parsed(VaultFile)
    case damaged, unsupported, wrongKey

    init(_ body: () throws(VaultFormatError) -> VaultFile) {
        do {
            self = .parsed(try body())
        } catch {
            switch error {
            case .damaged: self = .damaged
            case .unsupportedVersion: self = .unsupported
            case .wrongKey: self = .wrongKey
            }
        }
    }
}

/// `VaultStore` reads a vault in pieces (`parse(sizeHint:pieceSize:reading:)`); it must reach
/// the whole-file parser's outcome for every input, every piece size and every read size.
/// The input's last two bytes choose the piece size (8...263) and the bytes handed out per read.
func piecewise(_ bytes: [UInt8], shape: (UInt8, UInt8)) -> Outcome {
    let pieceSize = 8 + Int(shape.0)
    let perRead = 1 + Int(shape.1)
    var offset = 0
    return Outcome { () throws(VaultFormatError) -> VaultFile in
        try VaultFile.parse(sizeHint: bytes.count, pieceSize: pieceSize) { buffer in
            let count = min(buffer.count, perRead, bytes.count - offset)
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
            }
            offset += count
            return count
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVaultFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let whole = Outcome { () throws(VaultFormatError) -> VaultFile in try VaultFile.parse(bytes) }
    if bytes.count >= 2 {
        let shape = (bytes[bytes.count - 2], bytes[bytes.count - 1])
        precondition(piecewise(bytes, shape: shape) == whole, "reading in pieces reached another outcome")
    }
    // Typed throws: VaultFormatError is the only way out besides a file.
    guard case let .parsed(file) = whole else { return 0 }
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
