package import SecretctlCrypto

/// Reads and writes one vault file: strict parsing, key resolution, an exclusive
/// lock for every read-modify-write, and atomic replacement.
package struct VaultStore: Sendable {
    package let path: String
    package let environment: ProcessEnvironment
    package let keys: KeyResolver

    package init(path: String, environment: ProcessEnvironment, prompter: any SecretPrompter) {
        self.path = path
        self.environment = environment
        self.keys = KeyResolver(environment: environment, prompter: prompter)
    }

    package var lockPath: String { path + ".lock" }
    package var exists: Bool { FileSystem.exists(path) }

    // MARK: - Reading

    /// Parses the vault file without decrypting anything.
    package func readFile() throws(SecretctlError) -> VaultFile {
        try requireExisting()
        // Read in pieces: the payload line is decoded as it arrives, never held whole.
        let parsed = try FileSystem.reading(path) { (size, read) throws(VaultFormatError) -> VaultFile in
            try VaultFile.parse(sizeHint: size, reading: read)
        }
        switch parsed {
        case let .success(file): return file
        case let .failure(error): throw Self.error(error, path: path)
        }
    }

    /// Opens the vault with the first key that unlocks it.
    package func open(allowPrompt: Bool = true) throws(SecretctlError) -> OpenedVault {
        let file = try readFile()
        let dataKey = try keys.dataKey(for: file.header, vaultPath: path, allowPrompt: allowPrompt)
        return try open(file, dataKey: dataKey)
    }

    package func open(_ file: VaultFile, dataKey: SecureBytes) throws(SecretctlError) -> OpenedVault {
        do {
            return OpenedVault(header: file.header, dataKey: dataKey, contents: try VaultCrypto.open(file, dataKey: dataKey))
        } catch {
            throw Self.error(error, path: path)
        }
    }

    private func requireExisting() throws(SecretctlError) {
        guard exists else {
            throw SecretctlError(.noInput, "no vault at \(path)", hint: "run '\(initCommand)' to create it, or pick another vault with --env / --vault")
        }
    }

    /// The `init` command that creates this vault: `secrets/NAME.vault` is `--env NAME` (left
    /// out for the default environment when nothing else is set), anything else `--vault PATH`.
    var initCommand: String {
        let name = Path.lastComponent(path)
        let folder = Path.parent(path)
        if Path.lastComponent(folder) == "secrets", name.hasSuffix(".vault"), !name.hasPrefix(".") {
            let environmentName = String(name.dropLast(".vault".count))
            let isDefault = environmentName == ProjectLocator.defaultEnvironment
                && environment["SECRETCTL_ENV"] == nil && environment["SECRETCTL_VAULT"] == nil
            if ProjectLocator(environment: environment).projectRoot == Path.parent(folder) {
                return isDefault ? "secretctl init" : "secretctl init --env \(environmentName)"
            }
        }
        return "secretctl init --vault \(path)"
    }

    static func error(_ error: VaultFormatError, path: String) -> SecretctlError {
        switch error {
        case let .unsupportedVersion(reason):
            SecretctlError(.damaged, "\(path): \(reason)")
        case let .damaged(reason):
            SecretctlError(.damaged, "\(path) is damaged or was tampered with: \(reason)",
                hint: "restore it from git or a backup; secretctl will not guess")
        case let .wrongKey(reason):
            SecretctlError(.noKey, "\(path): \(reason)")
        }
    }

    // MARK: - Writing

    /// Runs `body` on the decrypted vault under the exclusive lock, then saves it atomically.
    /// Nothing is written when `body` throws.
    @discardableResult
    package func update<R>(_ body: (inout OpenedVault) throws(SecretctlError) -> R) throws(SecretctlError) -> R {
        // Checked before the lock, so a mistyped --env or --vault leaves no lock file behind.
        try requireExisting()
        let lock = try FileLock(path: lockPath, timeout: environment.lockTimeout, vaultPath: path)
        defer { lock.release() }
        AtomicFile.removeStale(for: path)
        var vault = try open()
        let result = try body(&vault)
        try save(vault)
        return result
    }

    /// Encrypts `vault` under a fresh nonce and replaces the file. Callers hold the lock.
    package func save(_ vault: OpenedVault) throws(SecretctlError) {
        let file: VaultFile
        do {
            file = try VaultCrypto.seal(vault.contents, dataKey: vault.dataKey, header: vault.header)
        } catch {
            throw SecretctlError(.failure, "cannot encrypt the vault: \(error)")
        }
        try AtomicFile.write(to: path) { write in file.write(to: write) }
    }

    /// Creates a new, empty vault. Refuses to replace an existing one.
    package func create(header: VaultHeader, dataKey: SecureBytes) throws(SecretctlError) {
        try FileSystem.makeDirectories(Path.parent(path), mode: 0o755)
        let lock = try FileLock(path: lockPath, timeout: environment.lockTimeout, vaultPath: path)
        defer { lock.release() }
        guard !exists else {
            throw SecretctlError(.failure, "a vault already exists at \(path); secretctl init never overwrites one",
                hint: "use it as it is, or pick another --env")
        }
        try save(OpenedVault(header: header, dataKey: dataKey, contents: VaultContents()))
    }
}
