import SecretctlCore
import SecretctlCrypto
import Testing

/// Edits that must refuse rather than write a vault no reader accepts.
struct VaultEditorTests {
    /// The format allows `random-bytes` up to 1048576, but the encoded value would then be over
    /// the 1 MiB a value may hold: rotating must refuse and change nothing.
    @Test(arguments: [Recipe(bytes: 1 << 20, encoding: .base64), Recipe(bytes: 524_289, encoding: .hex), Recipe(bytes: 786_433, encoding: .base64url)])
    func aRecipeWhoseValueWouldBeOver1MiBCannotRotate(recipe: Recipe) throws {
        let small = SecretValue(SecureBytes(copying: Array("small-value".utf8)))
        var contents = VaultContents(entries: [Entry(name: "BIG", recipe: recipe, versions: [EntryVersion(number: 1, created: 0, value: small)])])
        let error = #expect(throws: SecretctlError.self) { _ = try VaultEditor.rotate(&contents, name: "BIG", now: 1, vaultPath: "v.vault") }
        #expect(error?.message.contains("over 1 MiB") == true, "\(String(describing: error))")
        #expect(contents["BIG"]?.versions.count == 1)
    }
}
