package import SecretctlCrypto

/// A Secret as the cluster holds it, read from `kubectl get secret -o json`.
/// The values are decoded into wiping buffers; the JSON itself stays in the
/// caller's wiping buffer.
package struct LiveSecret: Sendable {
    /// Client-side `kubectl apply` keeps the whole applied object here, so for
    /// a Secret every value sits in this annotation a second time.
    package static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    package var name: String
    package var namespace: String?
    package var data: [String: SecretValue]
    package var annotationKeys: Set<String>
    /// The keys whose values (non-empty) sit in the last-applied annotation,
    /// under `data` or `stringData`: what a reader of the annotation has seen.
    package var lastAppliedValueKeys: [String]

    package init(
        name: String, namespace: String? = nil, data: [String: SecretValue], annotationKeys: Set<String> = [],
        lastAppliedValueKeys: [String] = []
    ) {
        self.name = name
        self.namespace = namespace
        self.data = data
        self.annotationKeys = annotationKeys
        self.lastAppliedValueKeys = lastAppliedValueKeys
    }

    package var hasLastAppliedConfiguration: Bool { annotationKeys.contains(Self.lastAppliedAnnotation) }

    /// Parses kubectl's JSON for one Secret. Messages never quote the input.
    package static func parse(_ json: SecureBytes) throws(SecretctlError) -> LiveSecret {
        try json.withUnsafeBytes { (bytes) throws(SecretctlError) -> LiveSecret in
            func fail(_ what: String) -> SecretctlError {
                SecretctlError(.system, "kubectl's output is not a Secret as JSON: \(what)")
            }
            let tree: JSONTree
            do throws(JSONTree.ParseError) {
                tree = try JSONTree.parse(bytes)
            } catch {
                throw fail("invalid JSON at byte \(error.offset)")
            }
            func text(_ node: JSONTree?) -> String? {
                guard case let .string(range)? = node else { return nil }
                return JSONTree.text(UnsafeRawBufferPointer(rebasing: bytes[range]))
            }
            guard text(tree["kind"]) == "Secret" else { throw fail("kind is not Secret") }
            let metadata = tree["metadata"]
            guard let name = text(metadata?["name"]) else { throw fail("no metadata.name") }

            var annotationKeys = Set<String>()
            var lastAppliedValueKeys: [String] = []
            if case let .object(members)? = metadata?["annotations"] {
                annotationKeys = Set(members.map(\.key))
                if case let .string(range)? = members.last(where: { $0.key == lastAppliedAnnotation })?.value {
                    lastAppliedValueKeys = valueKeys(inLastApplied: UnsafeRawBufferPointer(rebasing: bytes[range]))
                }
            }
            var data: [String: SecretValue] = [:]
            switch tree["data"] {
            case nil, .scalar?:
                break  // absent or null: no keys
            case let .object(members)?:
                for (key, node) in members {
                    guard case let .string(range) = node else { throw fail("data.\(key) is not a string") }
                    guard let value = decodeBase64(UnsafeRawBufferPointer(rebasing: bytes[range])) else {
                        throw fail("data.\(key) is not base64")
                    }
                    data[key] = value
                }
            default:
                throw fail("data is not an object")
            }
            return LiveSecret(
                name: name, namespace: text(metadata?["namespace"]), data: data, annotationKeys: annotationKeys,
                lastAppliedValueKeys: lastAppliedValueKeys)
        }
    }

    /// The keys with a non-empty value in a last-applied annotation's JSON (still
    /// escaped, as it sits in kubectl's output). The unescaped copy holds values,
    /// so it lives in a wiping buffer. An annotation that is not a Secret's JSON
    /// names no keys.
    private static func valueKeys(inLastApplied raw: UnsafeRawBufferPointer) -> [String] {
        var length: Int? = 0
        let unescaped = SecureBytes(count: raw.count) { length = JSONTree.unescape(raw, into: $0) }
        guard let length else { return [] }
        return unescaped.slice(0..<length).withUnsafeBytes { bytes -> [String] in
            guard let tree = try? JSONTree.parse(bytes) else { return [] }
            var keys: [String] = []
            for field in ["data", "stringData"] {
                guard case let .object(members)? = tree[field] else { continue }
                for (key, node) in members {
                    if case let .string(range) = node, !range.isEmpty, !keys.contains(key) { keys.append(key) }
                }
            }
            return keys.sortedByBytes()
        }
    }

    // MARK: - Base64 into wiping buffers

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// Standard padded base64 (JSON escapes undone first) into a wiping buffer.
    static func decodeBase64(_ raw: UnsafeRawBufferPointer) -> SecretValue? {
        var text: SecureBytes? = nil
        if raw.contains(UInt8(ascii: "\\")) {
            var length: Int? = 0
            let unescaped = SecureBytes(count: raw.count) { length = JSONTree.unescape(raw, into: $0) }
            guard let length else { return nil }
            text = unescaped.slice(0..<length)
        }
        func decode(_ input: UnsafeRawBufferPointer) -> SecretValue? {
            guard input.count % 4 == 0 else { return nil }
            var padding = 0
            if input.count >= 4 {
                if input[input.count - 1] == UInt8(ascii: "=") { padding += 1 }
                if input[input.count - 2] == UInt8(ascii: "=") { padding += 1 }
            }
            let outputCount = input.count / 4 * 3 - padding
            var valid = true
            let output = SecureBytes(count: outputCount) { output in
                var o = 0
                var i = 0
                while i < input.count {
                    var quantum: UInt32 = 0
                    for k in 0..<4 {
                        let c = input[i + k]
                        let isPad = c == UInt8(ascii: "=") && i + 4 == input.count && k >= 4 - padding
                        let digit = isPad ? 0 : decodeTable[Int(c)]
                        if digit == 0xFF { valid = false; return }
                        quantum = quantum << 6 | UInt32(digit)
                    }
                    for shift in [16, 8, 0] where o < outputCount && (i + 4 < input.count || shift >= 8 * padding) {
                        output[o] = UInt8(quantum >> UInt32(shift) & 0xFF)
                        o += 1
                    }
                    i += 4
                }
            }
            return valid ? SecretValue(output) : nil
        }
        if let text { return text.withUnsafeBytes { decode($0) } }
        return decode(raw)
    }
}
