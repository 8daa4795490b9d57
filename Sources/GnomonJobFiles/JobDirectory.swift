import Foundation
import GnomonCore

/// A folder of job files, read by the same rules wherever Gnomon reads one (the commands'
/// catalog and the daemon's watcher): each `NAME.yaml` or `NAME.yml` directly inside it is job
/// `NAME`.
///
/// Hidden files (starting with `.`), files with other extensions and subfolders (where a job's
/// scripts live) are ignored. A symbolic link counts as what it points to; one that points
/// nowhere counts as a job file, and loading it says so. Two files for one name (`a.yaml` and
/// `a.yml`) are both refused, since neither can be told apart from the other by name.
public enum JobDirectory {
    /// A job file in the folder, not yet loaded.
    public struct File: Sendable, Hashable, Comparable {
        /// The job's name: the file's stem.
        public let name: String
        /// The file's path: the folder as given, then the file name.
        public let path: String

        public static func < (lhs: File, rhs: File) -> Bool { (lhs.name, lhs.path) < (rhs.name, rhs.path) }
    }

    /// One job file found in the folder and what loading it gave.
    public struct Entry: Sendable, Hashable {
        /// The job's name: the file's stem.
        public let name: String
        /// The file's path: the folder as given, then the file name.
        public let path: String
        public let result: JobFileResult
    }

    /// What scanning a folder found.
    public struct Scan: Sendable, Hashable {
        /// Every job file, sorted by name (then path).
        public var entries: [Entry]
        /// Problems with the folder itself (it cannot be read); the files' own problems are in
        /// their entries.
        public var problems: [Diagnostic]

        /// The jobs that loaded.
        public var jobs: [ValidJob] { entries.compactMap(\.result.job) }
        /// The specs of the jobs that loaded.
        public var specs: [JobSpec] { jobs.map(\.spec) }
        /// Every problem: the folder's, then each file's.
        public var diagnostics: [Diagnostic] { problems + entries.flatMap(\.result.diagnostics) }
    }

    /// Loads every job file in `directory`, checking the channel names of their rules against
    /// `channels` when given (see `JobFileLoader.load(path:channels:)`).
    public static func scan(_ directory: String, channels: Set<String>? = nil) -> Scan {
        switch files(in: directory) {
        case .failure(let problem):
            return Scan(entries: [], problems: [problem])
        case .success(let files):
            let byName = Dictionary(grouping: files, by: \.name).sorted { $0.key < $1.key }
            return Scan(entries: byName.flatMap { name, files in
                entries(named: name, loaded: files.sorted().map { ($0.path, JobFileLoader.load(path: $0.path, channels: channels)) })
            }, problems: [])
        }
    }

    /// The job files directly in `directory`, sorted by name then path, or the problem with the
    /// folder itself (it cannot be listed) as a diagnostic at its path.
    public static func files(in directory: String) -> Result<[File], Diagnostic> {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            return .failure(folderProblem(directory, error: error))
        }
        return .success(names.compactMap { file(named: $0, in: directory) }.sorted())
    }

    /// The job files for job `name` in `directory` (more than one is a clash), found without
    /// listing the folder.
    public static func files(forJob name: String, in directory: String) -> [File] {
        JobFileFormat.extensions.compactMap { file(named: "\(name).\($0)", in: directory) }.filter { $0.name == name }
    }

    /// The entry `file` of `directory` as a job file, or `nil` if it does not count as one.
    static func file(named file: String, in directory: String) -> File? {
        guard !file.hasPrefix("."), !file.contains("/") else { return nil }
        let path = (directory as NSString).appendingPathComponent(file)
        guard let name = JobFileLoader.jobName(path: path) else { return nil }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT != S_IFDIR else { return nil }
        } else {
            // Only a link that points nowhere counts without existing.
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return nil }
        }
        return File(name: name, path: path)
    }

    /// The entries for job `name` from what loading each of its files gave (path and result,
    /// sorted by path): the file's own entry, or with two or more files, each refused with a
    /// clash problem in front of its own.
    public static func entries(named name: String, loaded: [(path: String, result: JobFileResult)]) -> [Entry] {
        guard loaded.count > 1 else {
            return loaded.map { Entry(name: name, path: $0.path, result: $0.result) }
        }
        return loaded.map { file in
            let others = loaded.filter { $0.path != file.path }.map { ($0.path as NSString).lastPathComponent }
            let clash = Diagnostic(
                path: file.path, line: 1, column: 1, keyPath: "",
                message: "\(others.joined(separator: ", ")) also defines job \"\(name)\"; remove or rename one of the files")
            return Entry(name: name, path: file.path, result: .failed([clash] + file.result.diagnostics))
        }
    }

    /// Why the folder cannot be listed, as a diagnostic at its path.
    static func folderProblem(_ directory: String, error: Error) -> Diagnostic {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder)
        let reason = !exists ? "it does not exist" : !isFolder.boolValue ? "it is a file, not a folder"
            : FileManager.default.isReadableFile(atPath: directory) ? (error as NSError).localizedDescription
            : "permission denied"
        return Diagnostic(path: directory, line: 1, column: 1, keyPath: "", message: "cannot read the job folder: \(reason)")
    }
}
