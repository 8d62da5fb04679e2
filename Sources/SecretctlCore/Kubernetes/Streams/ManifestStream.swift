package import SecretctlCrypto
import SecretctlYAML

/// The documents of one or more manifest sources (`-f FILE|DIR|-`), in order, read once.
///
/// Secrets that refer to vault entries are the ones secretctl fills; every other document
/// passes through byte for byte. References are refused where a raw apply would store them
/// as values: under a Secret's `stringData`, and anywhere outside a Secret.
package struct ManifestStream: Sendable {
    /// The most a stream may hold, all sources together. A Secret is at most 1 MiB; whole
    /// charts rarely pass a few MiB.
    package static let sizeLimit = 32 << 20

    /// The input as read: it may hold values (a chart's own Secrets), so it stays in
    /// wiping buffers.
    private var buffers: [SecureBytes] = []
    package private(set) var documents: [ManifestDocument] = []

    package init() {}

    /// Reads every source in order; `standardInput` is called once at most.
    package static func read(
        _ sources: [ManifestSource], workingDirectory: (String) -> String, standardInput: () throws(SecretctlError) -> SecureBytes
    ) throws(SecretctlError) -> ManifestStream {
        var stream = ManifestStream()
        var total = 0
        var readStandardInput = false
        func add(_ bytes: SecureBytes, source: String, fromFile: Bool) throws(SecretctlError) {
            total += bytes.count
            guard total <= sizeLimit else {
                throw SecretctlError(.failure, "the manifests are over \(sizeLimit >> 20) MiB (at \(source)); nothing was rendered",
                    hint: "render and apply the folders one at a time")
            }
            try stream.append(bytes, source: source, fromFile: fromFile)
        }
        for source in sources {
            switch source {
            case .standardInput:
                guard !readStandardInput else { throw SecretctlError(.usage, "-f - is given twice: stdin can be read once") }
                readStandardInput = true
                try add(try standardInput(), source: "stdin", fromFile: false)
            case let .path(given):
                let path = workingDirectory(given)
                if FileSystem.isDirectory(path) {
                    let files = try ManifestFiles.list(in: path)
                    guard !files.isEmpty else {
                        throw SecretctlError(.noInput, "\(given) holds no .yaml, .yml or .json file")
                    }
                    for file in files { try add(try readFile(file), source: file, fromFile: true) }
                } else {
                    guard FileSystem.exists(path) else { throw SecretctlError(.noInput, "no such file or folder: \(given)") }
                    try add(try readFile(path), source: given, fromFile: true)
                }
            }
        }
        return stream
    }

    private static func readFile(_ path: String) throws(SecretctlError) -> SecureBytes {
        try FileSystem.readSecret(path, limit: sizeLimit)
    }

    // MARK: - Documents

    private mutating func append(_ bytes: SecureBytes, source: String, fromFile: Bool) throws(SecretctlError) {
        let bufferIndex = buffers.count
        buffers.append(bytes)
        var parsed: [ManifestDocument] = []
        try bytes.withUnsafeBytes { (all) throws(SecretctlError) in
            var index = 0
            for range in ManifestSplitter.documents(all) {
                let piece = UnsafeRawBufferPointer(rebasing: all[range])
                let nodes: [YAMLNode]
                do {
                    nodes = try YAMLLoader.load(bytes: piece)
                } catch {
                    throw SecretctlError(.failure, "cannot parse \(source) (document \(index + 1)): \(error); nothing was rendered")
                }
                guard let node = nodes.first(where: { !YAMLDocuments.isNull($0) }) else { continue }
                index += 1
                parsed.append(try Self.document(node, source: source, index: index, buffer: bufferIndex, range: range, fromFile: fromFile))
            }
        }
        documents += parsed
    }

    private static func document(
        _ node: YAMLNode, source: String, index: Int, buffer: Int, range: Range<Int>, fromFile: Bool
    ) throws(SecretctlError) -> ManifestDocument {
        let place = "\(source) (document \(index))"
        guard case let .mapping(mapping) = node else {
            throw SecretctlError(.failure, "\(place) is not a mapping, so it is not a Kubernetes object; nothing was rendered")
        }
        let metadata = mapping["metadata"]?.mapping
        var document = ManifestDocument(
            source: source, index: index, buffer: buffer, range: range,
            apiVersion: YAMLDocuments.string(mapping["apiVersion"]), kind: YAMLDocuments.string(mapping["kind"]),
            name: YAMLDocuments.string(metadata?["name"]), namespace: YAMLDocuments.string(metadata?["namespace"]),
            node: node)

        guard document.kind == "Secret", document.apiVersion == "v1" else {
            if let line = firstReference(in: node) {
                throw SecretctlError(.failure,
                    "\(document.reference) in \(place) holds a reference to a vault entry at line \(line): "
                        + "only a Secret's data may refer to the vault (a value outside a Secret is not secret); nothing was rendered",
                    hint: "put the value in a Secret's data ('KEY: secretctl:ENTRY') and read it with secretKeyRef or envFrom")
            }
            return document
        }
        // A Secret is filled when it refers to the vault; from a file, also when it is an
        // old-style template (values ""). A chart's own Secrets on stdin are not ours.
        let ours = fromFile || holdsReference(mapping)
        if ours {
            document.secret = try SecretTemplate.secret(mapping, path: place, line: YAMLDocuments.line(node), encodedReferences: true)
            if document.secret?.keys.isEmpty == true {
                throw SecretctlError(.failure,
                    "Secret \(document.name ?? "?") in \(place) has no keys: applied by secretctl, it would remove every key "
                        + "secretctl set in the live Secret; nothing was rendered",
                    hint: "list its keys under data ('KEY: secretctl:ENTRY'), or remove the document")
            }
        }
        return document
    }

    /// Whether a Secret's `data` or `stringData` holds a reference (also base64-encoded, as a
    /// chart's `b64enc` writes it).
    private static func holdsReference(_ mapping: YAMLMapping) -> Bool {
        for field in ["data", "stringData"] {
            for (_, value) in mapping[field]?.mapping ?? YAMLMapping([]) {
                guard let text = YAMLDocuments.string(value) else { continue }
                if SecretReference.isReference(text) { return true }
                if field == "data", (try? SecretReference.parse(base64: text)) ?? nil != nil { return true }
            }
        }
        return false
    }

    /// The line of the first scalar anywhere in `node` that is a reference.
    private static func firstReference(in node: YAMLNode) -> Int? {
        switch node {
        case let .scalar(scalar):
            return SecretReference.isReference(scalar.text) ? scalar.mark.line : nil
        case let .sequence(sequence):
            for item in sequence.items { if let line = firstReference(in: item) { return line } }
            return nil
        case let .mapping(mapping):
            for (key, value) in mapping {
                if let line = firstReference(in: key) ?? firstReference(in: value) { return line }
            }
            return nil
        }
    }

    // MARK: - Rendering

    /// Fills every Secret that refers to the vault (`namespace` overrides theirs) and checks
    /// the whole stream first: every missing entry is named at once, two Secrets of one name
    /// and namespace are refused. Nothing is written when anything is refused.
    package func render(_ contents: VaultContents, namespace: String?) throws(SecretctlError) -> RenderedStream {
        let templates = documents.compactMap(\.secret)
        let filled = try SecretRenderer.fill(templates, from: contents, namespace: namespace, source: sourceDescription)
        var rendered: [RenderedSecret?] = []
        var next = 0
        var seen: [String: String] = [:]
        for document in documents {
            var secret: RenderedSecret?
            if document.secret != nil {
                secret = filled[next]
                next += 1
            }
            if document.kind == "Secret" {
                let name = secret?.manifest.displayName ?? (document.namespace.map { "\($0)/" } ?? "") + (document.name ?? "?")
                if let earlier = seen[name] {
                    throw SecretctlError(.failure,
                        "the Secret \(name) is in \(earlier) and again in \(document.place); nothing was rendered",
                        hint: "keep one of them")
                }
                seen[name] = document.place
            }
            rendered.append(secret)
        }
        return RenderedStream(stream: self, secrets: rendered)
    }

    /// The sources, for messages: `k8s/`, or `stdin`.
    private var sourceDescription: String {
        var sources: [String] = []
        for document in documents where !sources.contains(document.source) { sources.append(document.source) }
        return sources.count <= 3 ? sources.joined(separator: ", ") : "\(sources[0]) and \(sources.count - 1) more files"
    }

    /// A document's own bytes, as read.
    func bytes(of document: ManifestDocument) -> SecureBytes {
        buffers[document.buffer].slice(document.range)
    }

    /// Every workload in the stream, with the Secrets it reads.
    package var workloads: [(Workload, [WorkloadFinder.Use])] {
        WorkloadFinder.workloads(in: documents.map(\.node))
    }
}
