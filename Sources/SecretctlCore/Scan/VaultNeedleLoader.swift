#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens every vault that can be unlocked without a prompt and turns all their values,
/// current and kept previous ones, into needles.
package struct VaultNeedleLoader: Sendable {
    package struct Vault: Hashable, Sendable {
        package var environment: String
        package var path: String

        package init(environment: String, path: String) {
            self.environment = environment
            self.path = path
        }
    }

    package struct Loaded: Sendable {
        package var needles: NeedleSet
        package var opened: [Vault]
        /// Vaults left out, each with the reason (no key without a prompt, damaged, ...).
        package var skipped: [(vault: Vault, error: SecretctlError)]
        /// For each entry name, how to give it a new value (`RotationAdvice`), from the first
        /// vault that holds it.
        package var nextSteps: [String: String] = [:]
    }

    package var environment: ProcessEnvironment
    package var prompter: any SecretPrompter

    package init(environment: ProcessEnvironment, prompter: any SecretPrompter) {
        self.environment = environment
        self.prompter = prompter
    }

    /// `secrets/*.vault` under the project root, sorted by environment name.
    package func discover(projectRoot: String) -> [Vault] {
        let folder = Path.join(projectRoot, "secrets")
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var found: [Vault] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".vault"), !name.hasPrefix(".") else { continue }
            let environmentName = String(name.dropLast(".vault".count))
            guard !environmentName.isEmpty else { continue }
            found.append(Vault(environment: environmentName, path: Path.join(folder, name)))
        }
        return found.sorted { $0.environment < $1.environment }
    }

    /// Opens each vault with `allowPrompt: false` and collects needles from those that open.
    package func load(_ vaults: [Vault]) -> Loaded {
        var builder = NeedleSetBuilder()
        var opened: [Vault] = []
        var skipped: [(vault: Vault, error: SecretctlError)] = []
        var nextSteps: [String: String] = [:]
        for vault in vaults {
            let store = VaultStore(path: vault.path, environment: environment, prompter: prompter)
            do {
                let contents = try store.open(allowPrompt: false).contents
                builder.add(contents, environment: vault.environment)
                for entry in contents.sortedEntries where nextSteps[entry.name] == nil {
                    nextSteps[entry.name] = RotationAdvice.nextStep(for: entry.name, in: contents)
                }
                opened.append(vault)
            } catch {
                skipped.append((vault, error))
            }
        }
        return Loaded(needles: builder.build(), opened: opened, skipped: skipped, nextSteps: nextSteps)
    }
}
