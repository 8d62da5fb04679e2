package import SecretctlCrypto

/// Stands in when kubectl is not installed, for work that only needs the
/// argument lists (a dry run's plan); running it throws the lookup error.
package struct MissingKubectlRunner: KubectlRunner {
    package var error: SecretctlError

    package init(error: SecretctlError) {
        self.error = error
    }

    package func run(_ arguments: [String], input: SecureBytes?) async throws(SecretctlError) -> KubectlResult {
        throw error
    }
}
