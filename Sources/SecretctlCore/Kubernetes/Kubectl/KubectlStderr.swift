/// Reading kubectl's stderr: the field managers of an apply conflict, and the
/// signs of a cluster kubectl cannot reach. Only names are taken from it (field
/// managers, `.data` keys); values are redacted before any of it is shown.
package enum KubectlStderr {
    /// The field manager of an earlier client-side `kubectl apply`.
    package static let clientSideApplyManager = "kubectl-client-side-apply"

    /// The field managers named by a failed server-side apply, in order:
    /// `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.KEY`.
    package static func conflictingManagers(_ stderr: String) -> [String] {
        guard stderr.contains("Apply failed with") else { return [] }
        var managers: [String] = []
        for marker in ["conflict with \"", "conflicts with \""] {
            var rest = Substring(stderr)
            while let start = rest.firstRange(of: marker) {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                let manager = String(rest[..<end])
                if !managers.contains(manager) { managers.append(manager) }
                rest = rest[end...]
            }
        }
        return managers
    }

    /// The Secret keys a conflict names (`.data.KEY`), sorted.
    package static func conflictingKeys(_ stderr: String) -> [String] {
        var keys: Set<String> = []
        var rest = Substring(stderr)
        while let start = rest.firstRange(of: ".data.") {
            rest = rest[start.upperBound...]
            let key = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
            if !key.isEmpty { keys.insert(String(key)) }
        }
        return keys.sortedByBytes()
    }

    /// Whether kubectl failed before reaching an API server: no context, a
    /// refused connection, an unknown host, a timeout.
    package static func isUnreachable(_ stderr: String) -> Bool {
        ["The connection to the server", "Unable to connect to the server", "connection refused",
         "no such host", "i/o timeout", "couldn't get current server API group list", "dial tcp"]
            .contains { stderr.contains($0) }
    }

    /// Whether kubectl had no cluster configured and fell back to localhost:8080.
    package static func hasNoContext(_ stderr: String) -> Bool {
        stderr.contains("localhost:8080")
    }

    /// kubectl's message without client-go's log lines (`E1207 10:00:00.000 123 memcache.go:265] ...`),
    /// which repeat the last line five times.
    package static func withoutLogLines(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { line in
            !(line.count > 6 && "EWI".contains(line.first!) && line.dropFirst().prefix(4).allSatisfy(\.isNumber)
                && line.contains(".go:"))
        }
        return lines.joined(separator: "\n")
    }
}
