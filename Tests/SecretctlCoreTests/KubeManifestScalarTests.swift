import SecretctlCore
import Testing

/// Names, labels and annotations in YAML: plain only when they cannot read as anything but themselves.
struct KubeManifestScalarTests {
    @Test(arguments: ["todo-secrets", "app.kubernetes.io/name", "Opaque", "kubernetes.io/tls", "_x"])
    func plainWhenUnambiguous(text: String) {
        #expect(ManifestScalar.yaml(text) == text)
    }

    @Test(arguments: [
        ("1001", "\"1001\""), ("true", "\"true\""), ("On", "\"On\""), ("y", "\"y\""), ("null", "\"null\""),
        ("", "\"\""), ("a b", "\"a b\""), ("a: b", "\"a: b\""), ("-x", "\"-x\""), ("#x", "\"#x\""),
        ("line\nbreak", "\"line\\nbreak\""), ("q\"uote", "\"q\\\"uote\""), ("bell\u{7}", "\"bell\\u0007\""),
    ])
    func quotedWhenAmbiguous(text: String, expected: String) {
        #expect(ManifestScalar.yaml(text) == expected)
    }
}
