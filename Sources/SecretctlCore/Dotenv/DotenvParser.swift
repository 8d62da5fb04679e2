package import SecretctlCrypto

/// A strict but practical dotenv reader.
///
/// Accepted, line by line (LF, CRLF or CR line breaks):
/// * blank lines and lines whose first non-blank character is `#`;
/// * `NAME=value`, optionally after `export `, with blanks allowed around `=`;
/// * unquoted values: the rest of the line, a ` # comment` (blank then `#`) removed and
///   trailing blanks trimmed; everything else is literal (backslashes, quotes inside);
/// * `'single quoted'`: literal bytes, line breaks allowed;
/// * `"double quoted"`: escapes `\n \r \t \" \\ \$`, line breaks allowed;
/// * after a closing quote, only blanks and an optional `# comment`.
///
/// Refused, with the line number and never the text: a line without `=`, a name that is not
/// a Kubernetes Secret key, an unclosed quote, text after a closing quote, an unknown escape
/// in double quotes, and the forms tools read differently (`\\` or `\'` inside single quotes,
/// where python-dotenv reads one character and a shell two; a value starting with `#` after
/// a blank, which python-dotenv reads as the value and a shell as a comment).
///
/// Nothing is interpolated: `${NAME}` stays as written.
///
/// Values are decoded into one wiping buffer that every returned entry shares.
package enum DotenvParser {
    package static func parse(_ input: SecureBytes) throws(DotenvSyntaxError) -> [DotenvEntry] {
        var records: [DotenvScanner.Record] = []
        var failure: DotenvSyntaxError?
        // A decoded value is never longer than its text, so the input's size is enough.
        // The error is thrown after the buffer exists (its deinit wipes it), not from inside
        // its initializer.
        let output = SecureBytes(count: input.count) { output in
            input.withUnsafeBytes { bytes in
                var scanner = DotenvScanner(input: bytes, output: output)
                do throws(DotenvSyntaxError) {
                    records = try scanner.parseAll()
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
        return records.map { DotenvEntry(name: $0.name, value: SecretValue(storage: output, range: $0.range), line: $0.line) }
    }
}
