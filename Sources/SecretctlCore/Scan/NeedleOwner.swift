/// Whose value a needle is, and in which form: what a finding names.
package struct NeedleOwner: Hashable, Sendable {
    /// The entry name (a Secret key such as `BETTER_AUTH_SECRET`).
    package var name: String
    /// The environment whose vault holds it (`dev`, `prod`, ...).
    package var environment: String
    package var version: UInt32
    package var isCurrent: Bool
    package var form: NeedleForm
    /// True when the value is long and the needle is a window taken from its middle.
    package var isPartial: Bool

    package init(name: String, environment: String, version: UInt32, isCurrent: Bool, form: NeedleForm, isPartial: Bool = false) {
        self.name = name
        self.environment = environment
        self.version = version
        self.isCurrent = isCurrent
        self.form = form
        self.isPartial = isPartial
    }
}
