/// The JSON `independent_decrypt.py` prints.
struct FormatDecrypted: Decodable, Equatable {
    struct Recipe: Decodable, Equatable {
        let bytes: Int
        let encoding: String
    }

    struct Version: Decodable, Equatable {
        let version: UInt32
        let created: Int64
        /// base64 of the value.
        let value: String
    }

    struct Entry: Decodable, Equatable {
        let name: String
        let history_limit: Int
        let recipe: Recipe?
        let versions: [Version]
    }

    let vault_id: String
    let unlockers: [String]
    let entries: [Entry]
}
