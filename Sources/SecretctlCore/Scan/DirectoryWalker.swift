#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the regular files under a folder outside git, without following links and
/// without entering `.git` folders.
enum DirectoryWalker {
    static func files(under root: String) -> [String] {
        var found: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let folder = relative.isEmpty ? root : Path.join(root, relative)
            guard let directory = opendir(folder) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." || name == ".git" { continue }
                let child = relative.isEmpty ? name : Path.join(relative, name)
                var info = stat()
                guard lstat(Path.join(root, child), &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: pending.append(child)
                case S_IFREG: found.append(child)
                default: break
                }
            }
        }
        return found.sorted()
    }
}
