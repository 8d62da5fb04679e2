import ArgumentParser
import SecretctlCore

/// Builds the commands run most often (`get NAME`, `list`, `render`, each with `--env` or
/// `--vault`) from their plainest lines, without ArgumentParser.
///
/// ArgumentParser learns a command's arguments by reflecting over it: `Mirror`, generic
/// metadata built from mangled names, and protocol-conformance lookups that each scan every
/// conformance record of the static binary. That was about half the instructions of
/// `secretctl get NAME` even with the tree cut to one command (`SingleCommandRoot`). The
/// commands stay declared, documented, validated and parsed by ArgumentParser; this only
/// recognises lines whose meaning is plain: the subcommand, then `--env VALUE`, `--vault
/// VALUE` (or `--option=VALUE`) and, for `get`, one name, none of them starting with `-`.
/// Anything else, including every help, version or completion request and every line with
/// an error, returns nil and goes through ArgumentParser. Tests parse the same lines both
/// ways and compare the commands.
enum PlainLineParser {
    static func command(_ arguments: [String]) -> (any SynchronousCommand)? {
        // ArgumentParser validates what it parses; a line that fails goes to it for the message.
        guard var command = build(arguments), (try? command.validate()) != nil else { return nil }
        return command
    }

    private static func build(_ arguments: [String]) -> (any SynchronousCommand)? {
        guard let subcommand = arguments.first else { return nil }
        var env: String?
        var vault: String?
        var positionals: [String] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-") else {
                guard !argument.isEmpty else { return nil }
                positionals.append(argument)
                continue
            }
            let name: Substring
            let value: String
            if let equals = argument.firstIndex(of: "=") {
                name = argument[..<equals]
                value = String(argument[argument.index(after: equals)...])
            } else {
                guard index < arguments.count else { return nil }
                name = Substring(argument)
                value = arguments[index]
                index += 1
            }
            // Values that look like options, empty values and repeated options are for
            // ArgumentParser to judge.
            guard !value.isEmpty, !value.hasPrefix("-") else { return nil }
            switch name {
            case "--env" where env == nil: env = value
            case "--vault" where vault == nil: vault = value
            default: return nil
            }
        }
        var global = GlobalOptions()
        global.env = env
        global.vault = vault
        switch subcommand {
        case "get":
            guard positionals.count == 1 else { return nil }
            var command = GetCommand()
            command.global = global
            command.name = positionals[0]
            return command
        case "list":
            guard positionals.isEmpty else { return nil }
            var command = ListCommand()
            command.global = global
            command.json = false
            return command
        case "render":
            guard positionals.isEmpty else { return nil }
            var source = RenderOptions()
            source.template = nil
            source.all = false
            source.name = nil
            source.namespace = nil
            var stream = StreamOptions()
            stream.files = []
            var command = RenderCommand()
            command.global = global
            command.source = source
            command.stream = stream
            command.format = .yaml
            command.sealed = false
            command.cert = nil
            command.scope = .strict
            return command
        default:
            return nil
        }
    }
}
