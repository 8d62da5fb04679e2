// libFuzzer target: the dotenv reader of `import` (DotenvParser) and its writer (`export`).
// Built by Tests/Fuzz/run against the package's SecretctlCore module; not part of `swift build`.
import SecretctlCore
import SecretctlCrypto

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDotenv(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = SecureBytes(copying: data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    guard let entries = try? DotenvParser.parse(input) else { return 0 }
    // A decoded value is never longer than the file.
    precondition(entries.allSatisfy { $0.value.count <= size }, "a value longer than its input")
    // What export writes, import reads back to the same names and bytes.
    let writable = entries.filter { EntryName.isValid($0.name) && SecretText.isUTF8($0.value) }
    guard let written = try? DotenvWriter.write(writable.map { (name: $0.name, value: $0.value) }) else {
        preconditionFailure("the writer refused entries with valid names and UTF-8 values")
    }
    let again: [DotenvEntry]
    do {
        again = try DotenvParser.parse(written)
    } catch {
        preconditionFailure("the parser refused the writer's output: \(error)")
    }
    precondition(again.count == writable.count, "round trip changed the entry count")
    for (first, second) in zip(writable, again) {
        precondition(first.name == second.name && first.value.equals(second.value), "round trip changed \(first.name)")
    }
    return 0
}
