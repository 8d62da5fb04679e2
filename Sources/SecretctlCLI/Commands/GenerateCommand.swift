import ArgumentParser
import SecretctlCore

extension Recipe.Encoding: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.name) }
}

struct GenerateCommand: SynchronousCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Store a new random value (default: 32 bytes as base64, like 'openssl rand -base64 32').",
        discussion: "The value is not printed. The recipe is kept, so 'secretctl rotate NAME' makes the next one the same way.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry name.")
    var name: String

    @Option(help: "Random bytes before encoding (1-1048576).")
    var bytes: Int = 32

    @Option(help: "base64, base64url or hex.")
    var encoding: Recipe.Encoding = .base64

    @Flag(help: "Replace an existing entry's value (the old one stays in history).")
    var force = false

    func runSynchronously(in context: CommandContext) throws -> Int32 {
        try EntryName.validate(name)
        let recipe = Recipe(bytes: bytes, encoding: encoding)
        let value = SecretValue(try SecretGenerator.generate(recipe))
        guard value.count <= VaultContents.maximumValueSize else {
            throw SecretctlError(.usage, "\(bytes) bytes as \(encoding.name) is over 1 MiB, the most a Kubernetes Secret holds")
        }
        let store = try global.store(context)
        let version = try store.update { (vault) throws(SecretctlError) in
            try VaultEditor.checkName(name, vault.contents, newValue: value)
            if vault.contents[name] != nil, !force {
                let rotate = RotationAdvice.canRotate(name, in: vault.contents)
                    ? "use '\(RotationAdvice.nextStep(for: name, in: vault.contents))' or "
                    : "it was set by hand, so 'secretctl rotate' cannot renew it; use "
                throw SecretctlError(.failure, "\(name) already exists; not overwriting it",
                    hint: rotate + "'secretctl generate \(name) --force' to replace it with a random value (the old value stays in history)")
            }
            VaultEditor.set(&vault.contents, name: name, value: value, recipe: recipe, keepRecipe: false, now: context.clock())
            return vault.contents[name]!.current.number
        }
        if !EntryName.isEnvironmentVariableName(name) {
            context.warn("\(name) is not a valid environment variable name: envFrom will skip it without an error")
        }
        context.note("generated \(name) (v\(version), \(recipe.summary)); the value was not printed")
        return 0
    }
}
