/// Sizes as people write them: `50M`, `50MiB`, `512K`, `1G`, `1048576` (binary units).
package enum ByteSize {
    package static func parse(_ text: String) -> Int? {
        var body = Substring(text.uppercased())
        if body.hasSuffix("IB") {
            body = body.dropLast(2)
        } else if body.hasSuffix("B") {
            body = body.dropLast()
        }
        var factor = 1
        switch body.last {
        case "K": factor = 1 << 10
        case "M": factor = 1 << 20
        case "G": factor = 1 << 30
        default: break
        }
        if factor > 1 { body = body.dropLast() }
        guard !body.isEmpty, body.allSatisfy(\.isASCII), let number = Int(body), number >= 0 else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    package static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return scaled(bytes, 1 << 30, "GiB") }
        if bytes >= 1 << 20 { return scaled(bytes, 1 << 20, "MiB") }
        if bytes >= 1 << 10 { return scaled(bytes, 1 << 10, "KiB") }
        return "\(bytes) bytes"
    }

    private static func scaled(_ value: Int, _ unit: Int, _ name: String) -> String {
        if value % unit == 0 { return "\(value / unit) \(name)" }
        let tenths = (value * 10 + unit / 2) / unit
        return "\(tenths / 10).\(tenths % 10) \(name)"
    }
}
