/// The shape in which a value is searched for: the ways people actually leak values.
package enum NeedleForm: Hashable, Sendable, Comparable {
    case raw
    /// Standard base64 of the whole value, with padding.
    case base64
    /// Standard base64 of the whole value, without padding.
    case base64Unpadded
    /// URL-safe base64 of the whole value, with padding.
    case base64URL
    /// URL-safe base64 of the whole value, without padding.
    case base64URLUnpadded
    /// The characters of a longer standard base64 text that depend only on the value,
    /// for a value that starts at byte offset `alignment` (mod 3) of the encoded data.
    case base64Blob(alignment: Int)
    /// The same for URL-safe base64.
    case base64URLBlob(alignment: Int)
    /// Every byte outside RFC 3986 unreserved characters as `%XX` (uppercase).
    case percentEncoded
    /// As above with lowercase hex digits.
    case percentEncodedLowercase
    /// JavaScript `encodeURIComponent` (also keeps `!'()*`).
    case percentComponent
    /// Every byte but ASCII letters and digits as `%XX` (Foundation's `.alphanumerics`, some CLIs).
    case percentEncodedAll
    /// `application/x-www-form-urlencoded` (space as `+`).
    case formEncoded
    case hex
    case hexUppercase
    /// A JSON (or YAML double-quoted) string body with `"`, `\` and control characters escaped.
    case jsonEscaped
    /// As above, with `/` written `\/` (PHP, some Java encoders).
    case jsonEscapedSlash
    /// As above, with every non-ASCII character as `\uXXXX` (Python's default).
    case jsonEscapedASCII

    /// Shown to people: `path:line: NAME (form)`.
    package var label: String {
        switch self {
        case .raw: "raw"
        case .base64: "base64"
        case .base64Unpadded: "base64, unpadded"
        case .base64URL: "base64url"
        case .base64URLUnpadded: "base64url, unpadded"
        case .base64Blob: "base64, inside a longer blob"
        case .base64URLBlob: "base64url, inside a longer blob"
        case .percentEncoded: "percent-encoded"
        case .percentEncodedLowercase: "percent-encoded, lowercase"
        case .percentComponent: "percent-encoded, encodeURIComponent"
        case .percentEncodedAll: "percent-encoded, all but letters and digits"
        case .formEncoded: "form-urlencoded"
        case .hex: "hex"
        case .hexUppercase: "hex, uppercase"
        case .jsonEscaped: "JSON/YAML string escapes"
        case .jsonEscapedSlash: "JSON string escapes with \\/"
        case .jsonEscapedASCII: "JSON string escapes, ASCII only"
        }
    }

    /// A stable identifier for `--json`.
    package var identifier: String {
        switch self {
        case .raw: "raw"
        case .base64: "base64"
        case .base64Unpadded: "base64-unpadded"
        case .base64URL: "base64url"
        case .base64URLUnpadded: "base64url-unpadded"
        case let .base64Blob(alignment): "base64-blob-\(alignment)"
        case let .base64URLBlob(alignment): "base64url-blob-\(alignment)"
        case .percentEncoded: "percent"
        case .percentEncodedLowercase: "percent-lowercase"
        case .percentComponent: "percent-component"
        case .percentEncodedAll: "percent-all"
        case .formEncoded: "form-urlencoded"
        case .hex: "hex"
        case .hexUppercase: "hex-uppercase"
        case .jsonEscaped: "json-escaped"
        case .jsonEscapedSlash: "json-escaped-slash"
        case .jsonEscapedASCII: "json-escaped-ascii"
        }
    }

    /// The order forms are tried in; earlier forms win when two produce the same bytes.
    var rank: Int {
        switch self {
        case .raw: 0
        case .base64: 1
        case .base64Unpadded: 2
        case .base64URL: 3
        case .base64URLUnpadded: 4
        case let .base64Blob(alignment): 5 + alignment
        case let .base64URLBlob(alignment): 8 + alignment
        case .percentEncoded: 11
        case .percentComponent: 12
        case .formEncoded: 13
        case .percentEncodedAll: 14
        case .percentEncodedLowercase: 15
        case .hex: 16
        case .hexUppercase: 17
        case .jsonEscaped: 18
        case .jsonEscapedSlash: 19
        case .jsonEscapedASCII: 20
        }
    }

    package static func < (lhs: NeedleForm, rhs: NeedleForm) -> Bool { lhs.rank < rhs.rank }
}
