package import SecretctlCrypto

/// Makes random values from a recipe with OpenSSL's `RAND_bytes`.
package enum SecretGenerator {
    package static func generate(_ recipe: Recipe) throws(SecretctlError) -> SecureBytes {
        guard (1...Recipe.maximumBytes).contains(recipe.bytes) else {
            throw SecretctlError(.usage, "--bytes must be between 1 and \(Recipe.maximumBytes)")
        }
        let raw: SecureBytes
        do {
            raw = try SecureRandom.secureBytes(recipe.bytes)
        } catch {
            throw SecretctlError(.failure, "cannot draw random bytes: \(error)")
        }
        switch recipe.encoding {
        case .base64: return Base64.encode(raw, .standard)
        case .base64url: return Base64.encode(raw, .urlSafeUnpadded)
        case .hex: return Hex.encode(raw)
        }
    }
}
