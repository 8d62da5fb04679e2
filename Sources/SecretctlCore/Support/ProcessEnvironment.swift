#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a command may read from its surroundings: variables and the working
/// directory. Injected so tests run commands in-process with a made-up world.
package struct ProcessEnvironment: Sendable {
    package var variables: [String: String]
    package var workingDirectory: String

    package init(variables: [String: String], workingDirectory: String) {
        self.variables = variables
        self.workingDirectory = workingDirectory
    }

    /// This process's environment and working directory.
    package static func current() -> ProcessEnvironment {
        var variables: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            // Split at the first '=' byte: the process's environment is bytes, and a search by
            // Character walks grapheme clusters (most of this function's cost on every start).
            if let equals = strchr(entry, Int32(UInt8(ascii: "="))) {
                let name = UnsafeRawBufferPointer(start: entry, count: entry.distance(to: equals))
                variables[String(decoding: name, as: UTF8.self)] = String(cString: equals + 1)
            }
            pointer += 1
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let directory = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "."
        return ProcessEnvironment(variables: variables, workingDirectory: directory)
    }

    package subscript(name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    package var home: String { self["HOME"] ?? "/" }

    /// `$XDG_CONFIG_HOME/secretctl`, `~/.config/secretctl` when unset.
    package var configDirectory: String {
        let base = self["XDG_CONFIG_HOME"].map { Path.absolute($0, from: workingDirectory) } ?? Path.join(home, ".config")
        return Path.join(base, "secretctl")
    }

    package func path(_ path: String) -> String { Path.absolute(path, from: workingDirectory) }

    /// Seconds a writer waits for the vault lock (`SECRETCTL_LOCK_TIMEOUT`, default 10).
    package var lockTimeout: Double {
        self["SECRETCTL_LOCK_TIMEOUT"].flatMap(Double.init).map { max(0, $0) } ?? 10
    }
}
