/// How to give an entry a new value, for hints (after a leak, a removed recipient, an
/// existing entry). A hint must name a command that works: `rotate` only works for an entry
/// with a recipe (made by `generate`), and Better Auth's secret rotates through its list.
package enum RotationAdvice {
    /// The next step for `name` in `contents`, as a phrase that fits after "rotate it: ".
    package static func nextStep(for name: String, in contents: VaultContents) -> String {
        if name == VersionedSecrets.listName || (name == VersionedSecrets.secretName && contents[VersionedSecrets.listName] != nil) {
            return "secretctl rotate \(VersionedSecrets.secretName) --keep-previous"
        }
        if contents[name]?.recipe != nil || contents[name] == nil {
            return "secretctl rotate \(name)"
        }
        return "rotate \(name) at its provider (it was set by hand, so secretctl cannot make one), then 'secretctl set \(name)'"
    }

    /// Whether `nextStep` is a `secretctl rotate` command.
    package static func canRotate(_ name: String, in contents: VaultContents) -> Bool {
        nextStep(for: name, in: contents).hasPrefix("secretctl rotate")
    }
}
