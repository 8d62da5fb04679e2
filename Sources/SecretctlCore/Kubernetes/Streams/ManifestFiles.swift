#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files `kubectl apply -f DIR` reads from a folder: its `.json`, `.yaml` and `.yml`
/// files (not its subfolders, nor hidden files), in byte order of their names.
package enum ManifestFiles {
    package static func list(in directory: String) throws(SecretctlError) -> [String] {
        guard let stream = opendir(directory) else {
            throw SecretctlError(.noInput, "cannot read \(directory): \(FileSystem.errorText())")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard !name.hasPrefix("."), [".yaml", ".yml", ".json"].contains(where: { name.hasSuffix($0) }) else { continue }
            let path = Path.join(directory, name)
            if !FileSystem.isDirectory(path) { names.append(path) }
        }
        return names.sortedByBytes()
    }
}
