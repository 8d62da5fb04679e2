// libFuzzer target: the YAML/JSON readers of Kubernetes manifests: `import` of a Secret
// manifest (SecretManifestReader, through SecretctlYAML and libyaml) and kubectl's JSON for a live
// Secret (LiveSecret, through JSONTree). Not part of `swift build`.
import SecretctlCore
import SecretctlCrypto

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = SecureBytes(copying: data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    if let result = try? SecretManifestReader.read(input, source: "fuzz") {
        precondition(result.entries.allSatisfy { !$0.name.isEmpty }, "an entry without a name")
    }
    if let live = try? LiveSecret.parse(input) {
        precondition(!live.name.isEmpty, "a live Secret without a name")
        precondition(live.data.values.allSatisfy { $0.count <= size }, "a decoded value longer than its input")
    }
    _ = try? ImportReader.read(input, source: "fuzz", format: nil, allowEmpty: true)
    return 0
}
