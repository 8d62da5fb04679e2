/// Splits the output of `git cat-file --batch` into headers and object contents as it
/// streams in, holding at most one header line: contents are passed on chunk by chunk.
struct CatFileBatchParser {
    private enum Phase {
        case header
        case body(remaining: Int)
        case trailer
    }

    private var phase = Phase.header
    private var line: [UInt8] = []

    /// True when the stream ended between objects.
    var isAtBoundary: Bool {
        if case .header = phase { return line.isEmpty }
        return false
    }

    mutating func feed(
        _ input: UnsafeRawBufferPointer,
        onHeader: (CatFileHeader) throws(SecretctlError) -> Void,
        onBody: (UnsafeRawBufferPointer, _ isLast: Bool) -> Void
    ) throws(SecretctlError) {
        var index = 0
        while index < input.count {
            switch phase {
            case .header:
                let rest = UnsafeRawBufferPointer(rebasing: input[index...])
                if let newline = rest.firstIndex(of: 0x0A) {
                    line.append(contentsOf: rest[rest.startIndex..<newline])
                    index += newline + 1
                    guard let header = CatFileHeader.parse(line) else {
                        throw SecretctlError(.system, "git cat-file printed an unexpected line")
                    }
                    line.removeAll(keepingCapacity: true)
                    try onHeader(header)
                    if header.isMissing { continue }
                    if header.size == 0 {
                        onBody(UnsafeRawBufferPointer(start: nil, count: 0), true)
                        phase = .trailer
                    } else {
                        phase = .body(remaining: header.size)
                    }
                } else {
                    line.append(contentsOf: rest)
                    guard line.count < 1 << 16 else { throw SecretctlError(.system, "git cat-file printed an overlong header") }
                    index = input.count
                }
            case let .body(remaining):
                let take = min(remaining, input.count - index)
                let part = UnsafeRawBufferPointer(rebasing: input[index..<index + take])
                index += take
                onBody(part, take == remaining)
                phase = take == remaining ? .trailer : .body(remaining: remaining - take)
            case .trailer:
                guard input[index] == 0x0A else { throw SecretctlError(.system, "git cat-file output is out of step") }
                index += 1
                phase = .header
            }
        }
    }
}
