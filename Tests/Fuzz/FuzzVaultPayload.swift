// libFuzzer target: the decrypted payload decoder (docs/vault-format.md, "Payload plaintext").
// The payload is authenticated, so only secretctl itself (or someone with the data key) can
// feed it bytes; a bug here still must not crash or accept something the encoder would not write.
import SecretctlCore
import SecretctlCrypto

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVaultPayload(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let payload = SecureBytes(copying: data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    guard let contents = try? PayloadCodec.decode(payload) else { return 0 }
    // Accepted payloads are canonical: encoding the result gives back the same bytes.
    let again = PayloadCodec.encode(contents)
    let same = again.withUnsafeBytes { a in payload.withUnsafeBytes { b in a.elementsEqual(b) } }
    precondition(same, "decode accepted a payload the encoder would not write")
    var previous: [UInt8]?
    for entry in contents.sortedEntries {
        let name = Array(entry.name.utf8)
        precondition(!name.isEmpty && name.count <= 253, "name length")
        if let previous { precondition(previous.lexicographicallyPrecedes(name), "names not strictly sorted") }
        previous = name
        precondition(!entry.versions.isEmpty && entry.versions.count <= entry.historyLimit + 1, "version count")
        precondition(zip(entry.versions, entry.versions.dropFirst()).allSatisfy { $0.number > $1.number }, "versions not decreasing")
        precondition(entry.versions.allSatisfy { $0.value.count <= VaultContents.maximumValueSize }, "value too large")
    }
    return 0
}
