import Glibc

/// A fresh folder under /tmp for one test, removed by ``remove()``.
///
/// Plain POSIX calls, no Foundation and no child process, so suites of the lower layers (the
/// executors) can use it as they use the system.
public struct Scratch: Sendable {
    public let path: String

    public init() {
        var template = Array("/tmp/gnomon-scratch-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: \(String(cString: strerror(errno)))")
        path = String(cString: made!)
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Makes the folder `name`, writable by everyone (a container's user may differ from ours).
    public func makeFolder(_ name: String) {
        precondition(mkdir(file(name), 0o777) == 0, "cannot make \(file(name))")
        chmod(file(name), 0o777)
    }

    /// Writes `text` to `name` with `mode` (0o755 for a script).
    public func write(_ text: String, to name: String, mode: mode_t = 0o644) {
        let descriptor = open(file(name), O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(descriptor >= 0, "cannot write \(file(name))")
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        chmod(file(name), mode)
    }

    /// Removes the folder and everything in it (synchronously, so `defer` can call it).
    public func remove() {
        Self.removeTree(path)
    }

    private static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR, let directory = opendir(path) {
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(directory)
            for name in names { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
