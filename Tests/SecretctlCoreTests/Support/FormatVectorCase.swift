import Testing

/// A vector with one of its credentials: each credential on its own must reach the outcome.
struct FormatVectorCase: Sendable, CustomTestStringConvertible {
    let vector: FormatVector
    let credential: FormatVector.Credential
    let credentialIndex: Int

    var testDescription: String {
        vector.credentials.count == 1 ? vector.name : "\(vector.name) [\(credential) #\(credentialIndex + 1)]"
    }

    static func all() throws -> [FormatVectorCase] {
        try FormatVector.all().flatMap { vector in
            vector.credentials.enumerated().map { FormatVectorCase(vector: vector, credential: $0.element, credentialIndex: $0.offset) }
        }
    }
}
