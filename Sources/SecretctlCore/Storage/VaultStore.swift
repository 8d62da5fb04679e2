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

    /// The environment this file stands for: its name without `.vault` (`secrets/prod.vault`
    /// is prod), or nil for a file not named like one (git's temporary files in the drivers).
    package var environmentName: String? { Self.environmentName(ofPath: path) }

    package static func environmentName(ofPath path: String) -> String? {
        let name = Path.lastComponent(path)
        guard name.hasSuffix(".vault") else { return nil }
        let environment = String(name.dropLast(".vault".count))
        return ProjectLocator.environmentNameRule(environment) == nil ? environment : nil
    }

    package var keyMemory: KeyMemory { KeyMemory(environment: environment) }
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

    /// Opens the vault with the first key that unlocks it, refusing one that belongs to another
    /// environment or whose data key this machine has no reason to accept (`KeyMemory`).
    package func open(allowPrompt: Bool = true) throws(SecretctlError) -> OpenedVault {
        let vault = try openUnchecked(allowPrompt: allowPrompt)
        try requireAcceptedKey(vault)
        return vault
    }

    /// Opens the vault without asking `KeyMemory` (for `trust`, and the merge driver, which
    /// weighs three versions itself). `checkingEnvironment: false` is for `bind` only.
    package func openUnchecked(allowPrompt: Bool = true, checkingEnvironment: Bool = true) throws(SecretctlError) -> OpenedVault {
        let file = try readFile()
        if checkingEnvironment { try checkEnvironment(file.header) }
        let dataKey = try keys.dataKey(for: file.header, vaultPath: path, allowPrompt: allowPrompt)
        return try open(file, dataKey: dataKey)
    }

    /// Refuses a vault bound to another environment than the one its file name says: a copy of
    /// `dev.vault` to `prod.vault` opens with dev's keys, and would deploy dev's values to prod.
    /// (Checked before decrypting, on the unauthenticated header; a header changed to pass it
    /// fails the payload's integrity check instead.)
    package func checkEnvironment(_ header: VaultHeader) throws(SecretctlError) {
        guard let bound = header.environment, let name = environmentName, bound != name else { return }
        throw SecretctlError(
            .damaged, "\(path) belongs to environment \(bound), not \(name) (a copy of another environment's vault?); refusing to open it",
            hint: "use --env \(bound); if you renamed the environment on purpose, run 'secretctl bind --vault \(path)'")
    }

    /// Refuses a vault whose data key is new to this machine and not proven by a key it accepted.
    package func requireAcceptedKey(_ vault: OpenedVault) throws(SecretctlError) {
        let trusted = keyMemory.known(vaultID: vault.vaultID)
        if try KeyMemory.verdict(vault.header, dataKey: vault.dataKey, known: trusted) == .unproven {
            throw KeyMemory.unprovenError(vaultPath: path, trustCommand: "secretctl trust --vault \(path)")
        }
    }

    /// Records `vault`'s data key as accepted on this machine.
    package func remember(_ vault: OpenedVault) {
        guard let check = try? KeyMemory.check(dataKey: vault.dataKey, vaultID: vault.vaultID) else { return }
        keyMemory.remember(check, vaultID: vault.vaultID)
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
    /// `rebinding` (for `bind` only) opens a vault bound to another environment and binds it to
    /// this file's name.
    @discardableResult
    package func update<R>(rebinding: Bool = false, _ body: (inout OpenedVault) throws(SecretctlError) -> R) throws(SecretctlError) -> R {
        // Checked before the lock, so a mistyped --env or --vault leaves no lock file behind.
        try requireExisting()
        let lock = try FileLock(path: lockPath, timeout: environment.lockTimeout, vaultPath: path)
        defer { lock.release() }
        AtomicFile.removeStale(for: path)
        var vault = try openUnchecked(checkingEnvironment: !rebinding)
        try requireAcceptedKey(vault)
        let previousKey = vault.dataKey
        let result = try body(&vault)
        if rebinding { vault.header.environment = environmentName }
        try prepareHeader(&vault, previousKey: previousKey)
        try save(vault)
        remember(vault)
        return result
    }

    /// What every save adds to the header: the environment binding, for a vault written before
    /// it existed (the file's name, which the open just accepted), and, when `body` replaced the
    /// data key (rekey, recipients rm, passphrase rm), the proof that the new key was made by
    /// someone who held the previous one, so other machines accept it without being asked.
    package func prepareHeader(_ vault: inout OpenedVault, previousKey: SecureBytes?) throws(SecretctlError) {
        if vault.header.environment == nil { vault.header.environment = environmentName }
        guard let previousKey, !previousKey.constantTimeEquals(vault.dataKey) else { return }
        vault.header.keyChange = try KeyMemory.proof(
            previous: try KeyMemory.check(dataKey: previousKey, vaultID: vault.vaultID),
            new: try KeyMemory.check(dataKey: vault.dataKey, vaultID: vault.vaultID), vaultID: vault.vaultID)
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
        var vault = OpenedVault(header: header, dataKey: dataKey, contents: VaultContents())
        try prepareHeader(&vault, previousKey: nil)
        try save(vault)
        remember(vault)
    }
}
