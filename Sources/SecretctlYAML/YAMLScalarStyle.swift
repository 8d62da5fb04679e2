/// How a scalar was written. Only `plain` scalars are open to type guessing (`5432`, `true`).
package enum YAMLScalarStyle: Equatable, Hashable, Sendable {
    case plain
    case singleQuoted
    case doubleQuoted
    /// `|`
    case literal
    /// `>`
    case folded
}
