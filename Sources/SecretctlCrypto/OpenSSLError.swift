internal import COpenSSL

/// Turns an OpenSSL return code into a thrown `CryptoError`, draining the
/// thread's error queue so a later call does not report a stale error.
func check(_ result: Int32, _ function: String) throws(CryptoError) {
    guard result == 1 else { throw CryptoError.openSSL(function: function, reason: drainErrorQueue()) }
}

/// The oldest queued OpenSSL error as text, after emptying the queue.
func drainErrorQueue() -> String {
    var first: UInt = 0
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        if first == 0 { first = code }
    }
    guard first != 0 else { return "unknown error" }
    OpenSSLLibrary.loadErrorStrings()
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(first, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
