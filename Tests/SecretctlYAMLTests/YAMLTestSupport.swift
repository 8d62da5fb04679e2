import SecretctlYAML
import Testing

/// Shared helpers: load one document, or the error a text raises.
enum YAMLTestSupport {
    static func document(_ text: String, limits: YAMLLimits = .standard, sourceLocation: SourceLocation = #_sourceLocation) throws -> YAMLNode {
        let documents = try YAMLLoader.load(text, limits: limits)
        try #require(documents.count == 1, "expected one document, got \(documents.count)", sourceLocation: sourceLocation)
        return documents[0]
    }

    static func error(_ text: String, limits: YAMLLimits = .standard, sourceLocation: SourceLocation = #_sourceLocation) throws -> YAMLError {
        try #require(throws: YAMLError.self, "the text is refused", sourceLocation: sourceLocation) {
            try YAMLLoader.load(text, limits: limits)
        }
    }

    static func error(bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> YAMLError {
        try #require(throws: YAMLError.self, "the bytes are refused", sourceLocation: sourceLocation) {
            try bytes.withUnsafeBytes { (raw) throws(YAMLError) in try YAMLLoader.load(bytes: raw) }
        }
    }
}
