#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SecretctlCore
import SecretctlCrypto

struct ExecCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command with the vault's values added to its environment.",
        discussion: """
            secretctl replaces itself with the command (like 'env' does), so the command's exit \
            code, signals and terminal are its own and the values live only in its environment: \
            never in argv, never on disk. Vault values override inherited variables of the same \
            name. No SECRETCTL_* variable is passed on (SECRETCTL_KEY, SECRETCTL_KEY_FILE, \
            SECRETCTL_IDENTITY, SECRETCTL_IDENTITY_FILE, SECRETCTL_PASSPHRASE, ...): the command gets \
            the values, not the key to all of them. Entries whose names are not valid environment \
            variable names ([A-Za-z_][A-Za-z0-9_]*), or whose values hold a NUL byte, are skipped \
            with a warning. Exit 127 when the command is not found, 126 when it cannot run.

              secretctl exec -- uvicorn app.main:app --reload
              secretctl exec --only DATABASE_URL -- alembic upgrade head
            """)

    /// Whether the child must not inherit `name`. Every `SECRETCTL_*` variable is held back, not
    /// a list of known ones: a key, a key file's path, an identity (which opens every vault that
    /// lists its person, not only this one) all unlock more than the values handed over, and a
    /// variable added later is then withheld without anyone remembering to list it.
    static func isWithheld(_ name: String) -> Bool { name.hasPrefix("SECRETCTL_") }

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only these entries (comma-separated, or repeat the option).")
    var only: [String] = []

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after '--'.")
    var command: [String] = []

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        guard let program = command.first, !program.isEmpty else {
            throw SecretctlError(.usage, "exec needs a command after '--'", hint: "for example: secretctl exec -- uvicorn app.main:app --reload")
        }
        let store = try global.store(context)
        let vault = try store.open()
        try VaultEditor.checkSelection(only, vault.contents, vaultPath: store.path)
        let entries = try EntrySelection.select(vault.contents, only: only, vaultPath: store.path)

        let notVariables = entries.filter { !EntryName.isEnvironmentVariableName($0.name) }.map(\.name)
        if !notVariables.isEmpty {
            context.warn("skipped \(notVariables.joined(separator: ", ")): not \(notVariables.count == 1 ? "a valid environment variable name" : "valid environment variable names")")
        }
        let withNUL = entries.filter { EntryName.isEnvironmentVariableName($0.name) && $0.current.value.contains(byte: 0) }.map(\.name)
        if !withNUL.isEmpty {
            context.warn("skipped \(withNUL.joined(separator: ", ")): a value with a NUL byte cannot be an environment variable")
        }
        let skipped = Set(notVariables + withNUL)
        let chosen = entries.filter { !skipped.contains($0.name) }.map { (name: $0.name, value: $0.current.value) }
        let block = Self.environmentBlock(inherited: context.environment.variables, entries: chosen)

        // In-process runs (tests) capture output in memory; replacing the process there would
        // replace the test runner.
        guard context.stdout is FileDescriptorSink, context.stderr is FileDescriptorSink else {
            throw SecretctlError(.system, "exec replaces the secretctl process, so it runs only from the secretctl binary")
        }
        let failure = Self.replaceProcess(command, environment: block.bytes, offsets: block.offsets,
            searchPath: context.environment.variables["PATH"])
        context.stderr.write("secretctl: error: \(failure.message)\n")
        if let hint = failure.hint { context.hint(hint) }
        return failure.code
    }

    // MARK: - The child's environment

    /// `NAME=value\0` strings in one wiping buffer, and where each starts.
    static func environmentBlock(inherited: [String: String], entries: [(name: String, value: SecretValue)]) -> (bytes: SecureBytes, offsets: [Int]) {
        let overridden = Set(entries.map(\.name))
        let kept = inherited.keys.sorted().filter { !overridden.contains($0) && !isWithheld($0) }
        var total = 0
        for name in kept { total += name.utf8.count + 1 + inherited[name]!.utf8.count + 1 }
        for (name, value) in entries { total += name.utf8.count + 1 + value.count + 1 }
        var offsets: [Int] = []
        let bytes = SecureBytes(count: total) { output in
            var offset = 0
            func put<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
                for byte in bytes {
                    output[offset] = byte
                    offset += 1
                }
            }
            for name in kept {
                offsets.append(offset)
                put(name.utf8)
                put(CollectionOfOne(UInt8(ascii: "=")))
                put(inherited[name]!.utf8)
                put(CollectionOfOne(0))
            }
            for (name, value) in entries {
                offsets.append(offset)
                put(name.utf8)
                put(CollectionOfOne(UInt8(ascii: "=")))
                value.withUnsafeBytes { put($0) }
                put(CollectionOfOne(0))
            }
        }
        return (bytes, offsets)
    }

    // MARK: - Replacing the process

    struct Failure {
        var code: Int32
        var message: String
        var hint: String?
    }

    /// `execve`s the first match of `arguments[0]` on `searchPath` (as `execvp` does, including
    /// `/bin/sh` for a script without `#!`). Returns only when nothing could be run.
    static func replaceProcess(_ arguments: [String], environment: SecureBytes, offsets: [Int], searchPath: String?) -> Failure {
        let program = arguments[0]
        let candidates: [String]
        if program.contains("/") {
            candidates = [program]
        } else {
            let path = searchPath ?? "/usr/local/bin:/usr/bin:/bin"
            candidates = path.split(separator: ":", omittingEmptySubsequences: false).map { folder in
                (folder.isEmpty ? "." : String(folder)) + "/" + program
            }
        }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }

        // This runs on a worker thread that blocks nearly every signal, and execve keeps the
        // mask: without this, the command could not be stopped with Ctrl-C or SIGTERM.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        pthread_sigmask(SIG_SETMASK, &unblocked, nil)

        var denied = false
        var failure: Int32 = 0
        environment.withUnsafeBytes { raw in
            let base = raw.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).assumingMemoryBound(to: CChar.self) }
            let envp: [UnsafeMutablePointer<CChar>?] = offsets.map { base! + $0 } + [nil]
            for candidate in candidates {
                execve(candidate, argv, envp)
                let code = errno
                switch code {
                case ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP:
                    continue
                case EACCES, EPERM:
                    denied = true
                    continue
                case ENOEXEC:
                    // A script without '#!': run it with the shell, as execvp does.
                    let shell: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup(candidate)] + argv.dropFirst().dropLast() + [nil]
                    execve("/bin/sh", shell, envp)
                    failure = errno
                    free(shell[0])
                    free(shell[1])
                    return
                default:
                    failure = code
                    return
                }
            }
        }
        if failure == E2BIG {
            return Failure(code: 126, message: "cannot run \(program): the environment is too large (\(FileSystem.errorText(failure)))",
                hint: "Linux limits one variable to 128 KiB and all of them to about 2 MiB; pick fewer entries with --only")
        }
        if failure != 0 {
            return Failure(code: 126, message: "cannot run \(program): \(FileSystem.errorText(failure))")
        }
        if denied {
            return Failure(code: 126, message: "cannot run \(program): permission denied", hint: "check that it is an executable file (chmod +x)")
        }
        return Failure(code: 127, message: "\(program): command not found",
            hint: program.contains("/") ? nil : "it is not in any folder of PATH")
    }
}
