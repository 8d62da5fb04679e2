import ArgumentParser
import SecretctlCore

struct ForgetRetiredKeysCommand: ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget-retired-keys",
        abstract: "Remove the retired keys 'rekey' kept in the key file (older copies of the vault stop opening).",
        discussion: """
            After 'secretctl rekey' the default key file holds the new key and, after it, the keys it replaced, \
            so copies of the vault from before the rekey (git history, other branches, backups) still open and merge. \
            This command keeps only the keys that open the vault as it is now and removes the others. \
            Copies of the vault that only a removed key opened will no longer open on this machine: \
            back the key file up first if any such copy may still be needed.
            """)

    @OptionGroup var global: GlobalOptions

    func run(in context: CommandContext) async throws -> Int32 {
        let store = try global.store(context)
        // Read once before the lock, so a mistyped --env leaves no lock file behind; then again
        // under the lock, so a concurrent rekey cannot change the vault between the check and the write.
        _ = try store.readFile()
        let lock = try FileLock(path: store.lockPath, timeout: context.environment.lockTimeout, vaultPath: store.path)
        defer { lock.release() }
        let header = try store.readFile().header
        let forgotten = try KeyRing.forgetRetired(header: header, environment: context.environment)
        let path = KeyFile.defaultPath(vaultID: header.vaultID, environment: context.environment)
        if forgotten.isEmpty {
            context.note("\(path) holds no retired keys; nothing was changed")
            return 0
        }
        let ids = forgotten.map { $0.keyID ?? "without id" }.joined(separator: ", ")
        context.note("removed \(forgotten.count) retired \(forgotten.count == 1 ? "key" : "keys") (\(ids)) from \(path)")
        context.warn("copies of the vault that only \(forgotten.count == 1 ? "that key" : "those keys") opened no longer open on this machine")
        return 0
    }
}
