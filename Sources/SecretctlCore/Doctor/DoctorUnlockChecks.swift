/// The first check: whether each vault opens at all. A vault nobody can open, or one that
/// fails its integrity check, matters more than any permission bit, so it comes first.
extension Doctor {
    func unlockChecks(_ vaults: [VaultNeedleLoader.Vault]) -> [DoctorCheck] {
        vaults.map(unlockCheck)
    }

    private func unlockCheck(_ vault: VaultNeedleLoader.Vault) -> DoctorCheck {
        let store = VaultStore(path: vault.path, environment: environment, prompter: prompter)
        let failure: SecretctlError
        do {
            _ = try store.open(allowPrompt: false)
            return DoctorCheck(.ok, "unlock", "the \(vault.environment) vault opens and passes its integrity check")
        } catch {
            failure = error
        }
        if failure.code == .noKey, let header = try? store.readFile().header, header.unlockers.contains(where: \.isPassphrase),
            (environment.variables["SECRETCTL_PASSPHRASE"] ?? "").isEmpty
        {
            // Not a lock-out: the passphrase is the way in, and doctor never prompts.
            return DoctorCheck(.info, "unlock",
                "the \(vault.environment) vault opens here only with its passphrase (doctor does not prompt, so its integrity was not checked)")
        }
        let prefix = failure.code == .noKey ? "LOCKED OUT: " : ""
        return DoctorCheck(.attention, "unlock", prefix + failure.message,
            fix: failure.hint ?? "restore \(vault.path) from git or a backup")
    }
}
