/// One `NAME=value` binding read from a dotenv file.
package struct DotenvEntry: Sendable {
    package var name: String
    package var value: SecretValue
    /// The line the binding starts on (1-based); a multi-line value spans more.
    package var line: Int

    package init(name: String, value: SecretValue, line: Int) {
        self.name = name
        self.value = value
        self.line = line
    }
}
