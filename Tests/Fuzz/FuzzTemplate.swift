// libFuzzer target: the render path. A fuzzed k8s/secret.yaml template is parsed
// (SecretTemplate, through SecretctlYAML and libyaml), filled from a vault that has every key it names, written as
// YAML and as JSON (ManifestWriter), and read back (SecretManifestReader, LiveSecret): the
// values must come back byte for byte. Not part of `swift build`.
import SecretctlCore
import SecretctlCrypto

/// A value that needs every kind of escaping: quotes, backslashes, line breaks, `: `, `#`,
/// non-ASCII and non-UTF-8 bytes, NUL.
func value(for key: String) -> SecretValue {
    let bytes: [UInt8] = Array("v\"'\\\n\t: #-{}[]&*!|>%@`é ".utf8) + [0x00, 0xFF, 0x80, 0x0D] + Array(key.utf8)
    return SecretValue(SecureBytes(copying: bytes))
}

func sameEntries(_ a: [(String, SecretValue)], _ b: [(String, SecretValue)]) -> Bool {
    let order = { (x: (String, SecretValue), y: (String, SecretValue)) in Array(x.0.utf8).lexicographicallyPrecedes(Array(y.0.utf8)) }
    let left = a.sorted(by: order)
    let right = b.sorted(by: order)
    return left.count == right.count && zip(left, right).allSatisfy { $0.0 == $1.0 && $0.1.equals($1.1) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0), as: UTF8.self)
    guard let template = try? SecretTemplate.parse(text, path: "fuzz/secret.yaml") else { return 0 }
    var contents = VaultContents()
    for secret in template.secrets {
        for key in secret.keys where EntryName.isValid(key) && contents[key] == nil {
            VaultEditor.set(&contents, name: key, value: value(for: key), recipe: nil, keepRecipe: false, now: 0)
        }
    }
    guard let rendered = try? SecretRenderer.fill(template, from: contents) else { return 0 }
    let expected = rendered.flatMap { secret in secret.values.map { ($0.key, $0.value) } }

    for format in ManifestFormat.allCases {
        let manifest = ManifestWriter.write(rendered, as: format)
        // Rendering is deterministic.
        let twice = ManifestWriter.write(rendered, as: format)
        precondition(manifest.constantTimeEquals(twice), "\(format) output differs between two writes")
        // import refuses a key that two Secrets both hold (by design), so such a template has no round trip.
        if rendered.isEmpty || Set(expected.map(\.0)).count != expected.count { continue }
        let read: SecretManifestReader.Result
        do {
            read = try SecretManifestReader.read(manifest, source: "rendered \(format)")
        } catch {
            preconditionFailure("import cannot read what render wrote as \(format): \(error)")
        }
        precondition(sameEntries(read.entries.map { ($0.name, $0.value) }, expected), "\(format) round trip changed a value")
        if format == .json, rendered.count == 1 {
            guard let live = try? LiveSecret.parse(manifest) else { preconditionFailure("LiveSecret cannot read render's JSON") }
            precondition(live.name == rendered[0].manifest.name, "JSON name")
            precondition(sameEntries(live.data.map { ($0.key, $0.value) }, expected), "JSON values changed")
        }
    }
    return 0
}
