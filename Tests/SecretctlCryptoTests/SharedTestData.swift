import Foundation

/// The shared test data folder (`../shared/testdata` beside the repository, or
/// `$SECRETCTL_TESTDATA`). It is not part of the repository; tests that need it are
/// disabled when it is absent, never silently passed.
enum SharedTestData {
    /// `$SECRETCTL_TESTDATA` when set, else `<repo>/../shared/testdata`, with the repository
    /// root found from this file's path (`<repo>/Tests/SecretctlCryptoTests/SharedTestData.swift`).
    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["SECRETCTL_TESTDATA"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // SecretctlCryptoTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
        return repository.deletingLastPathComponent().appendingPathComponent("shared/testdata", isDirectory: true)
    }

    static func url(_ relativePath: String) -> URL { directory.appendingPathComponent(relativePath) }

    static func isPresent(_ relativePath: String) -> Bool {
        FileManager.default.isReadableFile(atPath: url(relativePath).path)
    }

    /// Decodes a JSON file of the folder, or returns nil when the file is absent.
    /// A file that exists but does not decode throws, so the test fails loudly.
    static func decode<T: Decodable>(_ type: T.Type, from relativePath: String) throws -> T? {
        guard isPresent(relativePath) else { return nil }
        let data = try Data(contentsOf: url(relativePath))
        return try JSONDecoder().decode(T.self, from: data)
    }
}
