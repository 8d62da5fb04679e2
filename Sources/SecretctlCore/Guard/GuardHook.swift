/// The pre-commit hook script `secretctl guard install` writes. It holds paths and a flag,
/// never a value: the values are read from the vault at commit time by `scan --staged`.
package struct GuardHook: Equatable, Sendable {
    /// The line that marks a hook as ours.
    package static let marker = "# secretctl-guard: v1"
    /// The name an existing hook is moved to; ours runs it first.
    package static let chainedName = "pre-commit.secretctl-chained"

    /// The secretctl executable to run, or nil to find `secretctl` on PATH at commit time.
    package var executable: String?
    /// Block the commit when no vault opens without a prompt (instead of warning).
    package var strict: Bool
    /// The secretctl project folder, relative to the repository's top level ("" for the top).
    package var projectDirectory: String

    package init(executable: String?, strict: Bool, projectDirectory: String) {
        self.executable = executable
        self.strict = strict
        self.projectDirectory = projectDirectory
    }

    /// Whether a hook file's text is one of ours.
    package static func isOurs(_ text: String) -> Bool {
        text.split(separator: "\n", maxSplits: 3).contains { $0 == marker }
    }

    /// Reads the settings back from a hook we wrote (for `doctor` and re-installs).
    package static func parse(_ text: String) -> GuardHook? {
        guard isOurs(text) else { return nil }
        var executable: String?
        var strict = false
        var project = ""
        for line in text.split(separator: "\n") {
            if let value = Self.assignment(line, "secretctl_bin") { executable = value.isEmpty ? nil : value }
            if let value = Self.assignment(line, "strict") { strict = value == "1" }
            if let value = Self.assignment(line, "project_dir") { project = value }
        }
        return GuardHook(executable: executable, strict: strict, projectDirectory: project)
    }

    private static func assignment(_ line: Substring, _ name: String) -> String? {
        let prefix = "\(name)="
        guard line.hasPrefix(prefix) else { return nil }
        var value = line.dropFirst(prefix.count)
        if value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 { value = value.dropFirst().dropLast() }
        return String(value).replacingQuoteEscapes()
    }

    /// Single-quotes `text` for sh.
    static func quote(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// The script.
    package var script: String {
        """
        #!/bin/sh
        \(Self.marker)
        # Installed by 'secretctl guard install'; 'secretctl guard uninstall' removes it and puts back
        # any hook that was here before (kept as \(Self.chainedName) and run first).
        # Blocks a commit that adds a value from a secretctl vault, raw or encoded.
        secretctl_bin=\(Self.quote(executable ?? ""))
        strict=\(strict ? "1" : "0")
        project_dir=\(Self.quote(projectDirectory))

        hooks_dir=$(dirname -- "$0")
        if [ -x "$hooks_dir/\(Self.chainedName)" ]; then
            "$hooks_dir/\(Self.chainedName)" "$@" || exit $?
        fi

        if [ -z "$secretctl_bin" ] || [ ! -x "$secretctl_bin" ]; then
            secretctl_bin=$(command -v secretctl 2>/dev/null)
        fi
        if [ -z "$secretctl_bin" ]; then
            echo "secretctl guard: secretctl was not found (installed path or PATH); this commit was NOT checked for secret values" >&2
            if [ "$strict" = 1 ]; then
                echo "secretctl guard: commit blocked (installed with --strict); install secretctl or run 'secretctl guard uninstall'" >&2
                exit 1
            fi
            exit 0
        fi

        top=$(git rev-parse --show-toplevel) || exit 1
        cd "$top/$project_dir" 2>/dev/null || cd "$top" || exit 1

        "$secretctl_bin" scan --staged --quiet
        status=$?
        case $status in
            0)
                exit 0 ;;
            1)
                echo "secretctl guard: commit blocked: the staged changes hold a secret value (names and files above)." >&2
                echo "secretctl guard: remove the value from each file listed, 'git add' it again and commit; if the value was ever pushed or shared, rotate it with 'secretctl rotate NAME'." >&2
                exit 1 ;;
            66|77)
                if [ "$strict" = 1 ]; then
                    echo "secretctl guard: commit blocked: no vault could be unlocked without a prompt, so the commit could not be checked (installed with --strict)." >&2
                    echo "secretctl guard: make the key available (key file, SECRETCTL_KEY or SECRETCTL_PASSPHRASE) and commit again." >&2
                    exit 1
                fi
                echo "secretctl guard: warning: no vault could be unlocked without a prompt; this commit was NOT checked for secret values." >&2
                exit 0 ;;
            *)
                echo "secretctl guard: commit blocked: the scan failed (exit $status, see above); fix the error and commit again." >&2
                exit 1 ;;
        esac

        """
    }
}

extension String {
    /// Undoes `GuardHook.quote` inside one pair of quotes: `'\''` back to `'`.
    fileprivate func replacingQuoteEscapes() -> String {
        split(separator: "'\\''", omittingEmptySubsequences: false).joined(separator: "'")
    }
}
