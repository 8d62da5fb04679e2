import SecretctlCore
import Testing

/// Entry names are Kubernetes Secret keys (apimachinery `IsConfigMapKey`):
/// `[-._a-zA-Z0-9]+`, at most 253 bytes, and not `.`, `..` or anything starting with `..`.
@Suite("Vault format: entry names")
struct VaultFormatNameTests {
    @Test(arguments: ["A", "BETTER_AUTH_SECRET", "tls.crt", ".env", "a..b", "a.", "-", "_", "0", String(repeating: "x", count: 253)])
    func validNames(_ name: String) {
        #expect(EntryName.isValid(name))
        #expect(EntryName.isValid(bytes: Array(name.utf8)))
    }

    @Test(arguments: ["", ".", "..", "..a", "...", "a b", "a/b", "a:b", "caf\u{E9}", "A\n", String(repeating: "x", count: 254)])
    func invalidNames(_ name: String) {
        #expect(!EntryName.isValid(name))
        #expect(!EntryName.isValid(bytes: Array(name.utf8)))
        #expect(EntryName.problem(name) != nil)
    }
}
