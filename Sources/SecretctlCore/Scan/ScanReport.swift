import SecretctlCrypto

/// Everything a scan found and everything it could not look at.
package struct ScanReport: Sendable {
    package struct Skipped: Hashable, Sendable {
        package var path: String
        package var reason: String

        package init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    package private(set) var findings: [ScanFinding] = []
    /// Files or blobs looked at.
    package var scannedCount = 0
    package var scannedBytes = 0
    package var skipped: [Skipped] = []
    /// Inputs with more matches than were kept.
    package var truncated: [String] = []

    package init() {}

    package var isClean: Bool { findings.isEmpty }

    /// Turns one input's hits into findings: one per place and entry, keeping the most
    /// telling form (the current value before an old one, then the longest needle).
    package mutating func add(_ hits: [ScanHit], path: String, commit: String? = nil, needles: NeedleSet) {
        struct Key: Hashable {
            var line: Int
            var environment: String
            var name: String
        }
        var best: [Key: (finding: ScanFinding, length: Int)] = [:]
        var keys: [Key] = []
        for hit in hits {
            let length = needles.needles[hit.needle].count
            for owner in needles.owners[hit.needle] {
                let key = Key(line: hit.line, environment: owner.environment, name: owner.name)
                let finding = ScanFinding(path: path, commit: commit, line: hit.line, owner: owner, wrapped: hit.wrapped)
                guard let existing = best[key] else {
                    best[key] = (finding, length)
                    keys.append(key)
                    continue
                }
                if Self.better(finding, length, than: existing.finding, existing.length) { best[key] = (finding, length) }
            }
        }
        findings.append(contentsOf: keys.map { best[$0]!.finding })
    }

    private static func better(_ a: ScanFinding, _ aLength: Int, than b: ScanFinding, _ bLength: Int) -> Bool {
        if a.owner.isCurrent != b.owner.isCurrent { return a.owner.isCurrent }
        if aLength != bLength { return aLength > bLength }
        if a.owner.form != b.owner.form { return a.owner.form < b.owner.form }
        return a.owner.version > b.owner.version
    }

    /// Findings in a stable order: by commit, path, line, name.
    package mutating func sort() {
        findings.sort { a, b in
            if (a.commit ?? "") != (b.commit ?? "") { return (a.commit ?? "") < (b.commit ?? "") }
            if a.path != b.path { return a.path < b.path }
            if a.line != b.line { return a.line < b.line }
            if a.owner.name != b.owner.name { return a.owner.name < b.owner.name }
            return a.owner.environment < b.owner.environment
        }
    }

    package mutating func merge(_ other: ScanReport) {
        findings.append(contentsOf: other.findings)
        scannedCount += other.scannedCount
        scannedBytes += other.scannedBytes
        skipped.append(contentsOf: other.skipped)
        truncated.append(contentsOf: other.truncated)
    }
}
