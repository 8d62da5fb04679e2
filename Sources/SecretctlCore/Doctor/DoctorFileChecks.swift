#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SecretctlYAML

/// The checks on files: vault and key permissions, .gitignore, templates, the guard hook.
extension Doctor {
    static func octal(_ mode: mode_t) -> String { "0" + String(mode, radix: 8) }

    // MARK: - Vaults

    func vaultChecks(_ vaults: [VaultNeedleLoader.Vault]) -> [DoctorCheck] {
        guard !vaults.isEmpty else {
            return [DoctorCheck(.info, "vault", "no vault in \(Path.join(projectRoot, "secrets"))", fix: "create one with 'secretctl init'")]
        }
        return vaults.map { vault in
            guard let mode = FileSystem.mode(vault.path) else {
                return DoctorCheck(.attention, "vault", "\(vault.path) cannot be read")
            }
            if mode & 0o077 != 0 {
                return DoctorCheck(.attention, "vault", "\(vault.path) is mode \(Self.octal(mode)); vaults are kept 0600",
                    fix: "chmod 600 \(vault.path)")
            }
            return DoctorCheck(.ok, "vault", "\(vault.path) is mode \(Self.octal(mode))")
        }
    }

    // MARK: - Keys

    func keyChecks(_ vaults: [VaultNeedleLoader.Vault]) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let keysFolder = Path.join(environment.configDirectory, "keys")
        if let mode = FileSystem.mode(keysFolder), mode & 0o077 != 0 {
            checks.append(DoctorCheck(.attention, "key file", "the key folder \(keysFolder) is mode \(Self.octal(mode)): other users can list it",
                fix: "chmod 700 \(keysFolder)"))
        }
        var files: [(what: String, path: String)] = []
        for vault in vaults {
            let store = VaultStore(path: vault.path, environment: environment, prompter: prompter)
            guard let file = try? store.readFile() else {
                checks.append(DoctorCheck(.attention, "vault", "\(vault.path) is not a readable vault",
                    fix: "run 'secretctl list --vault \(vault.path)' for the exact error"))
                continue
            }
            let path = KeyFile.defaultPath(vaultID: file.header.vaultID, environment: environment)
            if FileSystem.exists(path) {
                files.append(("the key file of the \(vault.environment) vault", path))
            } else if file.header.unlockers.contains(where: { !$0.isPassphrase && !$0.isRecipient }) {
                // Only the ways this vault actually has: a passphrase it lacks is no way in.
                var ways = ["SECRETCTL_KEY", "SECRETCTL_KEY_FILE"]
                if file.header.unlockers.contains(where: \.isRecipient) { ways.append("a recipient's identity") }
                if file.header.unlockers.contains(where: \.isPassphrase) { ways.append("its passphrase") }
                checks.append(DoctorCheck(.info, "key file",
                    "no key file for the \(vault.environment) vault at \(path): it opens only with \(ways.dropLast().joined(separator: ", ")) or \(ways.last!)"))
            }
        }
        if let explicit = environment["SECRETCTL_KEY_FILE"] { files.append(("SECRETCTL_KEY_FILE", environment.path(explicit))) }
        let identity = Identity.defaultPath(environment: environment)
        if FileSystem.exists(identity) { files.append(("your identity", identity)) }
        for (what, path) in files {
            guard let mode = FileSystem.mode(path) else {
                checks.append(DoctorCheck(.attention, "key file", "\(what) (\(path)) does not exist"))
                continue
            }
            if mode & 0o077 != 0 {
                checks.append(DoctorCheck(.attention, "key file", "\(what) \(path) is mode \(Self.octal(mode)): other users can read it",
                    fix: "chmod 600 \(path)"))
            } else {
                checks.append(DoctorCheck(.ok, "key file", "\(what) \(path) is mode \(Self.octal(mode))"))
            }
            if let inside = Self.relativePath(path, inside: projectRoot) {
                checks.append(DoctorCheck(.attention, "key file", "\(what) is inside the project (\(inside)); one git add away from a leak",
                    fix: "move it to \(Path.join(environment.configDirectory, "keys")) and point SECRETCTL_KEY_FILE at it"))
            }
        }
        return checks
    }

    static func relativePath(_ path: String, inside root: String) -> String? {
        func real(_ path: String) -> String {
            realpath(path, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? path
        }
        let file = real(path)
        let folder = real(root)
        return file.hasPrefix(folder + "/") ? String(file.dropFirst(folder.count + 1)) : nil
    }

    // MARK: - .gitignore

    /// Names that must never be committed, each with the .gitignore line that covers it.
    static let mustIgnore: [(probe: String, line: String, what: String)] = [
        ("secretctl-doctor-probe.key", "*.key", "key files"),
        (".env", ".env", "dotenv files"),
        (".env.local", ".env.*", "dotenv files"),
        ("secrets/doctor.vault.lock", "secrets/*.lock", "vault lock files"),
        ("secrets/.doctor.vault.tmp-probe", "secrets/*.tmp-*", "interrupted vault writes"),
    ]

    func gitignoreChecks(_ repository: GitRepository) async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        var missing: [String] = []
        var covered: [String] = []
        let relativeRoot = Self.relativePath(projectRoot, inside: repository.topLevel) ?? ""
        for rule in Self.mustIgnore {
            let probe = relativeRoot.isEmpty ? rule.probe : Path.join(relativeRoot, rule.probe)
            let result = try? await repository.git.run(["check-ignore", "-q", "--no-index", "--", probe], in: repository.topLevel)
            if result?.status == 0 {
                covered.append(rule.line)
            } else if !missing.contains(rule.line) {
                missing.append(rule.line)
            }
        }
        if missing.isEmpty {
            checks.append(DoctorCheck(.ok, ".gitignore", "ignores key files, dotenv files and vault temp files (\(covered.joined(separator: " ")))"))
        } else {
            checks.append(DoctorCheck(.attention, ".gitignore", "does not ignore \(missing.joined(separator: ", "))",
                fix: "add to \(Path.join(projectRoot, ".gitignore")): \(missing.joined(separator: " "))"))
        }
        // Plaintext already tracked: ignoring it now does not take it out of history.
        let listing = try? await repository.git.run(
            ["ls-files", "-z", "--cached", "--", ":(glob)**/*.key", ":(glob)**/.env", ":(glob)**/.env.*"], in: repository.topLevel)
        let trackedNow = listing.map { GitRepository.splitNUL($0.stdout) } ?? []
        for path in trackedNow where !path.hasSuffix(".example") && !path.hasSuffix(".sample") {
            checks.append(DoctorCheck(.attention, ".gitignore", "\(path) is tracked by git and may hold plaintext secrets",
                fix: "git rm --cached \(path), and rotate every value it ever held (they stay in git history)"))
        }
        return checks
    }

    // MARK: - Guard

    func guardChecks(projectRoot: String) async -> [DoctorCheck] {
        guard let (installer, _) = try? await GuardInstaller.forRepository(at: projectRoot, git: GitRunner(environment: environment)) else {
            return [DoctorCheck(.info, "guard", "the hooks folder could not be found")]
        }
        switch installer.status() {
        case let .installed(hook, chained):
            var message = "the pre-commit hook is installed (\(installer.hookPath))"
            if hook.strict { message += ", strict" }
            if chained { message += ", chaining the previous hook" }
            if let executable = hook.executable, access(executable, X_OK) != 0 {
                return [DoctorCheck(.attention, "guard", "the hook runs \(executable), which is gone; it falls back to secretctl on PATH",
                    fix: "secretctl guard install (refreshes the path)")]
            }
            return [DoctorCheck(.ok, "guard", message)]
        case .otherHook:
            return [DoctorCheck(.attention, "guard", "\(installer.hookPath) is another pre-commit hook; the guard is not installed",
                fix: "secretctl guard install (keeps that hook and runs it first)")]
        case .notInstalled:
            return [DoctorCheck(.attention, "guard", "no pre-commit hook: nothing stops a commit that holds a value",
                fix: "secretctl guard install")]
        }
    }

    // MARK: - Templates

    /// A Secret to look up in the cluster.
    struct LiveTarget: Equatable {
        var name: String
        var namespace: String?
        var displayName: String { namespace.map { "\($0)/\(name)" } ?? name }
    }

    func templateChecks() -> (checks: [DoctorCheck], secrets: [LiveTarget]) {
        var paths = templates ?? [Path.join(projectRoot, "k8s/secret.yaml")]
        if templates == nil, let file = try? EnvironmentsFile.load(projectRoot: projectRoot) {
            for definition in file.environments {
                if let template = definition.template {
                    let path = Path.absolute(template, from: projectRoot)
                    if !paths.contains(path) { paths.append(path) }
                }
            }
        }
        var checks: [DoctorCheck] = []
        var secrets: [LiveTarget] = []
        for path in paths {
            guard FileSystem.exists(path) else {
                if templates != nil { checks.append(DoctorCheck(.attention, "template", "no template at \(path)")) }
                continue
            }
            do {
                let template = try SecretTemplate.load(path)
                secrets += template.secrets.map { LiveTarget(name: $0.name, namespace: $0.namespace) }
                let keys = template.secrets.reduce(0) { $0 + $1.keys.count }
                let empty = template.secrets.flatMap(\.emptyValueKeys)
                if empty.isEmpty {
                    checks.append(DoctorCheck(.ok, "template", "\(path) holds key names and references only (\(keys) \(keys == 1 ? "key" : "keys"), no values)"))
                } else {
                    checks.append(DoctorCheck(.attention, "template",
                        "\(path) lists \(empty.joined(separator: ", ")) with the value \"\": a raw 'kubectl apply' of it (or of its folder) sets \(empty.count == 1 ? "that key" : "those keys") to \"\" in the live Secret",
                        fix: "secretctl template convert \(path) (writes references such as secretctl:\(empty[0]), which the API server refuses to apply raw)"))
                }
            } catch {
                checks.append(DoctorCheck(.attention, "template", error.message, fix: error.hint))
                // A template that holds a value still names its Secrets: check those in the cluster too.
                secrets += Self.secretNames(in: path)
            }
        }
        if checks.isEmpty { checks.append(DoctorCheck(.info, "template", "no Secret template (k8s/secret.yaml) to check")) }
        return (checks, secrets)
    }

    /// The names of the Secrets in a YAML file, read leniently.
    static func secretNames(in path: String) -> [LiveTarget] {
        guard let documents = try? YAMLDocuments.load(path) else { return [] }
        var targets: [LiveTarget] = []
        for document in documents {
            guard case let .mapping(mapping) = document, YAMLDocuments.string(mapping["kind"]) == "Secret" else { continue }
            guard let metadata = mapping["metadata"]?.mapping, let name = YAMLDocuments.string(metadata["name"]) else { continue }
            targets.append(LiveTarget(name: name, namespace: YAMLDocuments.string(metadata["namespace"])))
        }
        return targets
    }
}
