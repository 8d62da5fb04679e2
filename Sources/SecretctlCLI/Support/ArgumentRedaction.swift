import SecretctlCore

/// Keeps ArgumentParser's usage errors from repeating a value typed on the command line.
///
/// ArgumentParser quotes the words it could not place ("Unexpected argument 'x'", "Unknown
/// option '--x'", "The value 'x' is invalid for '--bytes <bytes>'"). Such a word is often a
/// value pasted into the wrong slot, and stderr reaches terminal scrollback and CI logs. So
/// before a parse error is printed, every argument that is not a plain word is replaced by
/// `<argument N, K characters, not shown>`: where it was and how long, never what it was.
/// Subcommand and option names are all plain words, so usage lines, "Did you mean '--json'?"
/// and the like are unchanged, as is everything --help prints (help is not an error).
enum ArgumentRedaction {
    /// A longer word is not shown even when it is made of name characters: generated tokens
    /// (hex, base64url) are, and no subcommand or option of secretctl is half this long.
    static let longestShownWord = 40

    /// Shorter words and parts are left alone: ArgumentParser's own text (" <", "', '") would
    /// match them, and three characters of a value tell nothing.
    static let shortestHiddenPart = 4

    /// A word of name characters this long that mixes upper and lower case letters and digits
    /// looks generated (`sk-...`, `ghp_...`, base64url) and is not shown either; secretctl's
    /// subcommands and options are lower case, so none of them is caught.
    static let shortestTokenLike = 16

    /// Whether `word` may be repeated: 1 to 40 characters of `[A-Za-z0-9_.-]`, and not token-like.
    static func isPlain(_ word: Substring) -> Bool {
        var (upper, lower, digit) = (false, false, false)
        for byte in word.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): upper = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"): lower = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = true
            case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"): break
            default: return false
            }
        }
        let count = word.utf8.count
        return count > 0 && count <= longestShownWord && !(count >= shortestTokenLike && upper && lower && digit)
    }

    /// `message` with each argument that is not plain replaced, and whether any was.
    ///
    /// Besides whole words, the parts ArgumentParser quotes on their own are looked for: the
    /// name and the value of `--option=value`, and a word without its leading dashes (a short
    /// option's attached value, a long option's name).
    static func redact(_ message: String, arguments: [String]) -> (text: String, redacted: Bool) {
        var parts: [(text: Substring, placeholder: String)] = []
        for (index, word) in arguments.enumerated() where !isPlain(word[...]) {
            var forms: [Substring] = [word[...], word.drop { $0 == "-" }, word.dropFirst(2)]
            if let equals = word.firstIndex(of: "=") {
                forms += [word[..<equals], word[word.index(after: equals)...]]
            }
            for form in forms where form.count >= shortestHiddenPart && !isPlain(form) {
                parts.append((form, "<argument \(index + 1), \(EntryName.length(form)), not shown>"))
            }
        }
        guard !parts.isEmpty else { return (message, false) }
        // Longest first, so a whole word is replaced before a part of it could be.
        var text = message
        for part in parts.sorted(by: { $0.text.count > $1.text.count }) {
            text = text.replacing(part.text, with: part.placeholder)
        }
        return (text, text != message)
    }
}
