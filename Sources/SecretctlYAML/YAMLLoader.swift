/// Reads every document of a YAML stream into ``YAMLNode`` trees, through libyaml's parser.
///
/// Aliases are replaced by the node their anchor names (anchors are per document, and a node
/// cannot hold an alias to itself); repeated mapping keys are refused, as are streams deeper or
/// bigger than ``YAMLLimits`` allows. Errors give positions, never the text of the input.
///
/// The input is read where it lies (no copy); scalar texts become ordinary Swift strings.
package enum YAMLLoader {
    package static func load(_ text: String, limits: YAMLLimits = .standard) throws(YAMLError) -> [YAMLNode] {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(YAMLError) in try load(bytes: UnsafeRawBufferPointer(bytes), limits: limits) }
        }
        return try result.get()
    }

    package static func load(bytes: UnsafeRawBufferPointer, limits: YAMLLimits = .standard) throws(YAMLError) -> [YAMLNode] {
        let composer = try YAMLComposer(bytes: bytes, limits: limits)
        return try composer.documents()
    }
}
