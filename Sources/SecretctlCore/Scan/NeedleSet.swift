package import SecretctlCrypto

/// The byte strings to search for, each with everyone it stands for: unique, sorted by
/// their bytes. Built by `NeedleSetBuilder`. The bytes stay in wiping buffers.
package struct NeedleSet: Sendable {
    package let needles: [SecureBytes]
    package let owners: [[NeedleOwner]]
    /// Values under `NeedleSetBuilder.minimumValueLength` bytes that were left out.
    package let skippedShortValues: Int
    /// How many distinct entry values the needles came from.
    package let valueCount: Int

    package init(needles: [SecureBytes], owners: [[NeedleOwner]], skippedShortValues: Int, valueCount: Int) {
        precondition(needles.count == owners.count)
        self.needles = needles
        self.owners = owners
        self.skippedShortValues = skippedShortValues
        self.valueCount = valueCount
    }

    package var isEmpty: Bool { needles.isEmpty }
    package var count: Int { needles.count }
}

extension NeedleSet: CustomStringConvertible {
    package var description: String { "NeedleSet(\(needles.count) needles, <redacted>)" }
}
