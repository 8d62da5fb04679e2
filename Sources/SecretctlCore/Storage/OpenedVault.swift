package import SecretctlCrypto

/// A decrypted vault in memory: its header, data key and contents.
package struct OpenedVault: Sendable {
    package var header: VaultHeader
    package var dataKey: SecureBytes
    package var contents: VaultContents

    package init(header: VaultHeader, dataKey: SecureBytes, contents: VaultContents) {
        self.header = header
        self.dataKey = dataKey
        self.contents = contents
    }

    package var vaultID: String { header.vaultID }
}
