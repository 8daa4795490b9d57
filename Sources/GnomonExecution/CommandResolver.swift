import Glibc
import GnomonCore

/// Finds the file a command's `argv[0]` names, as `execvp` would, with reasons a person can act on.
///
/// A name without a slash is looked up in the `PATH` of the *child's* environment (not
/// Gnomon's). A name with a slash is a path, relative ones taken from the child's working
/// directory. An empty `PATH` entry means the working directory, as in POSIX shells. Paths are
/// joined with ``PathJoin`` (lexically: `..` removes the segment before it).
public struct CommandResolver: Sendable {
    /// What a path names on disk.
    public enum FileKind: Sendable, Hashable {
        case missing
        case directory
        case file(executable: Bool)
    }

    /// Why a command cannot be run; `reason` is the could-not-start text.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }

        public init(reason: String) { self.reason = reason }
    }

    private let probe: @Sendable (String) -> FileKind

    /// A resolver that looks at the real file system.
    public init() {
        self.probe = CommandResolver.probeFileSystem
    }

    /// A resolver over a made-up file system, for tests.
    public init(probe: @escaping @Sendable (String) -> FileKind) {
        self.probe = probe
    }

    /// Resolves `command` for a child with this environment and working directory.
    /// - Returns: the path to execute (absolute when `workingDirectory` is), or the problem.
    public func resolve(
        _ command: String, environment: [String: String], workingDirectory: String
    ) -> Result<String, Problem> {
        if command.isEmpty {
            return .failure(Problem(reason: "the command is empty"))
        }
        if command.contains("/") {
            let path = PathJoin.join(workingDirectory, command)
            switch probe(path) {
            case .file(executable: true):
                return .success(path)
            case .file(executable: false):
                return .failure(Problem(reason:
                    "command \"\(command)\" is not executable (permission denied); make it executable with chmod +x \(path)"))
            case .directory:
                return .failure(Problem(reason: "command \"\(command)\" is a directory, not a program"))
            case .missing:
                let looked = path == command ? "" : " (looked for \(path))"
                return .failure(Problem(reason: "command \"\(command)\" does not exist\(looked)"))
            }
        }
        guard let searchPath = environment["PATH"] else {
            return .failure(Problem(reason:
                "command \"\(command)\" cannot be looked up: PATH is not set in the task's environment; give a full path or set PATH"))
        }
        var notExecutable: String?
        for entry in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            // An empty entry is the working directory, as in POSIX shells.
            let candidate = PathJoin.join(PathJoin.join(workingDirectory, String(entry)), command)
            switch probe(candidate) {
            case .file(executable: true):
                return .success(candidate)
            case .file(executable: false):
                if notExecutable == nil { notExecutable = candidate }
            case .directory, .missing:
                continue
            }
        }
        if let notExecutable {
            return .failure(Problem(reason:
                "command \"\(command)\" found at \(notExecutable) but it is not executable (permission denied); make it executable with chmod +x \(notExecutable)"))
        }
        return .failure(Problem(reason: "command \"\(command)\" not found in PATH (\(searchPath))"))
    }

    /// `stat` and `access(X_OK)` on the real file system.
    @Sendable
    static func probeFileSystem(_ path: String) -> FileKind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        if info.st_mode & S_IFMT == S_IFDIR { return .directory }
        return .file(executable: access(path, X_OK) == 0)
    }
}
