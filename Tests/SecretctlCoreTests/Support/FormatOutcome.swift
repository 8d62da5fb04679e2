import SecretctlCore
import SecretctlCrypto

/// What `VaultFile.parse` -> `VaultCrypto.unwrap` -> `VaultCrypto.open` made of a vault.
enum FormatOutcome: Equatable, CustomStringConvertible {
    case ok
    case unsupported
    case damaged(FormatVector.Stage)
    case wrongKey
    /// An error of a kind the stage should never produce.
    case unexpected(String)

    init(expect: FormatVector.Expectation, stage: FormatVector.Stage?) {
        switch expect {
        case .ok: self = .ok
        case .unsupported: self = .unsupported
        case .wrongKey: self = .wrongKey
        case .damaged: self = .damaged(stage ?? .parse)
        }
    }

    var description: String {
        switch self {
        case .ok: "ok"
        case .unsupported: "unsupported"
        case let .damaged(stage): "damaged at \(stage.rawValue)"
        case .wrongKey: "wrong-key"
        case let .unexpected(what): "unexpected: \(what)"
        }
    }

    /// Runs a vault through the reader's three steps; `contents` and `dataKey` are set when it opens.
    static func read(_ bytes: [UInt8], credential: FormatVector.Credential) -> (FormatOutcome, VaultFile?, SecureBytes?, VaultContents?) {
        let file: VaultFile
        do {
            file = try VaultFile.parse(bytes)
        } catch {
            switch error {
            case .unsupportedVersion: return (.unsupported, nil, nil, nil)
            case .damaged: return (.damaged(.parse), nil, nil, nil)
            case .wrongKey: return (.unexpected("wrongKey from parse"), nil, nil, nil)
            }
        }
        let key: UnlockKey
        switch credential {
        case let .key(bytes): key = .key(SecureBytes(copying: bytes))
        case let .passphrase(bytes): key = .passphrase(SecureBytes(copying: bytes))
        case let .identity(bytes):
            do {
                key = .identity(try Identity(privateKey: SecureBytes(copying: bytes)))
            } catch {
                return (.unexpected("the vector's identity is not usable: \(error)"), file, nil, nil)
            }
        }
        let dataKey: SecureBytes
        do {
            guard let unwrapped = try VaultCrypto.unwrap(file.header, with: key) else { return (.wrongKey, file, nil, nil) }
            dataKey = unwrapped
        } catch {
            switch error {
            case .damaged: return (.damaged(.unwrap), file, nil, nil)
            default: return (.unexpected("\(error) from unwrap"), file, nil, nil)
            }
        }
        do {
            return (.ok, file, dataKey, try VaultCrypto.open(file, dataKey: dataKey))
        } catch {
            switch error {
            case .damaged: return (.damaged(.open), file, dataKey, nil)
            default: return (.unexpected("\(error) from open"), file, dataKey, nil)
            }
        }
    }
}
