import Foundation
import SecretctlCore
import SecretctlCrypto
import Testing

/// The key-change proof and the per-machine memory of data keys (docs/vault-format.md, "Key changes").
struct KeyMemoryTests {
    static let vaultID = String(repeating: "ab", count: 16)

    static func key() throws -> SecureBytes { try SecureRandom.secureBytes(32) }

    static func header(provingFrom previous: SecureBytes?, to new: SecureBytes) throws -> VaultHeader {
        var header = VaultHeader(vaultID: vaultID, unlockers: [])
        if let previous {
            header.keyChange = try KeyMemory.proof(
                previous: try KeyMemory.check(dataKey: previous, vaultID: vaultID),
                new: try KeyMemory.check(dataKey: new, vaultID: vaultID), vaultID: vaultID)
        }
        return header
    }

    static func check(_ key: SecureBytes) throws -> SecureBytes { try KeyMemory.check(dataKey: key, vaultID: vaultID) }

    @Test func aKeyChangeIsProvenOnlyByTheKeyBeforeIt() throws {
        let (old, new, other) = (try Self.key(), try Self.key(), try Self.key())
        let proven = try Self.header(provingFrom: old, to: new)
        #expect(try KeyMemory.verdict(proven, dataKey: new, known: [try Self.check(old)]) == .proven)
        #expect(try KeyMemory.verdict(proven, dataKey: new, known: [try Self.check(other)]) == .unproven, "another previous key")
        #expect(try KeyMemory.verdict(proven, dataKey: other, known: [try Self.check(old)]) == .unproven, "the proof names its key")
        #expect(try KeyMemory.verdict(try Self.header(provingFrom: nil, to: new), dataKey: new, known: [try Self.check(old)]) == .unproven)
        #expect(try KeyMemory.verdict(proven, dataKey: new, known: [try Self.check(new)]) == .known)
        #expect(try KeyMemory.verdict(proven, dataKey: other, known: []) == .firstUse)
    }

    /// A removed recipient kept the key from before their removal: a proof from it counts only
    /// on a machine that accepted nothing newer.
    @Test func aProofCountsOnlyFromTheKeyAcceptedLast() throws {
        let (beforeRemoval, afterRemoval, forged) = (try Self.key(), try Self.key(), try Self.key())
        let fromTheRemovedRecipient = try Self.header(provingFrom: beforeRemoval, to: forged)
        let known = [try Self.check(beforeRemoval), try Self.check(afterRemoval)]
        #expect(try KeyMemory.verdict(fromTheRemovedRecipient, dataKey: forged, known: known) == .unproven)
        #expect(try KeyMemory.verdict(fromTheRemovedRecipient, dataKey: forged, known: Array(known.prefix(1))) == .proven)
    }

    @Test func theMemoryKeepsChecksNotKeysAndPutsTheLastAcceptedLast() throws {
        let sandbox = try TestFolder()
        let memory = KeyMemory(environment: ProcessEnvironment(variables: ["XDG_CONFIG_HOME": sandbox.path], workingDirectory: sandbox.path))
        let (first, second) = (try Self.key(), try Self.key())
        memory.remember(try Self.check(first), vaultID: Self.vaultID)
        memory.remember(try Self.check(second), vaultID: Self.vaultID)
        memory.remember(try Self.check(first), vaultID: Self.vaultID)
        let known = memory.known(vaultID: Self.vaultID)
        #expect(known.count == 2)
        #expect(known.last?.constantTimeEquals(try Self.check(first)) == true, "accepted again, so last")
        let file = try #require(FileManager.default.contents(atPath: memory.path(vaultID: Self.vaultID)))
        for key in [first, second] {
            #expect(key.withUnsafeBytes { !Data(file).contains(Data(Hex.encode(Array($0)).utf8)) }, "no data key in the memory")
        }
        var info = stat()
        #expect(stat(memory.path(vaultID: Self.vaultID), &info) == 0 && info.st_mode & 0o777 == 0o600)
    }
}

/// A temporary folder removed at deinit.
final class TestFolder {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "/secretctl-keymemory-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
