/// Finds the project root and the vault a command works on.
package struct ProjectLocator: Sendable {
    package static let defaultEnvironment = "dev"

    package var environment: ProcessEnvironment

    package init(environment: ProcessEnvironment) {
        self.environment = environment
    }

    /// The nearest folder upward that has `secrets/`, else the git top level, else the working directory.
    package var projectRoot: String {
        let start = environment.workingDirectory
        if let found = firstAncestor(of: start, where: { FileSystem.isDirectory(Path.join($0, "secrets")) }) { return found }
        if let found = firstAncestor(of: start, where: { FileSystem.exists(Path.join($0, ".git")) }) { return found }
        return start
    }

    private func firstAncestor(of start: String, where predicate: (String) -> Bool) -> String? {
        var current = start
        while true {
            if predicate(current) { return current }
            let parent = Path.parent(current)
            if parent == current || current.isEmpty { return nil }
            current = parent
        }
    }

    /// Environment names become file names, so they are kept simple.
    ///
    /// A rejected name is not repeated (it may be a value typed into `--env`), only its length.
    package static func validateEnvironmentName(_ name: String) throws(SecretctlError) {
        guard let rule = environmentNameRule(name) else { return }
        throw SecretctlError(.usage, "that is not a valid environment name (\(EntryName.length(name)); a name \(rule))",
            hint: "use lowercase letters, digits, '-' and '_'")
    }

    /// The rule `name` breaks as an environment name, or nil when it is one.
    package static func environmentNameRule(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return "cannot be empty" }
        if !bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }) {
            return "uses only lowercase letters, digits, '-' and '_'"
        }
        if bytes.count > 63 { return "has at most 63 characters" }
        if bytes[0] == 0x2D { return "cannot start with '-'" }
        return nil
    }

    /// The environment name from `--env`, `SECRETCTL_ENV`, or `dev`.
    package func environmentName(option: String?) throws(SecretctlError) -> String {
        let name = option ?? environment["SECRETCTL_ENV"] ?? Self.defaultEnvironment
        try Self.validateEnvironmentName(name)
        return name
    }

    /// The vault path from `--vault`, `SECRETCTL_VAULT`, or `<root>/secrets/<env>.vault`.
    package func vaultPath(vaultOption: String?, environmentOption: String?) throws(SecretctlError) -> String {
        if let explicit = vaultOption ?? environment["SECRETCTL_VAULT"] { return environment.path(explicit) }
        let name = try environmentName(option: environmentOption)
        return Path.join(Path.join(projectRoot, "secrets"), "\(name).vault")
    }
}
