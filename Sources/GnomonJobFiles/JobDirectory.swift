import Foundation
import GnomonCore

/// A folder of job files: each `NAME.yaml` or `NAME.yml` directly inside it is one job.
///
/// Other files, hidden files (starting with `.`) and subfolders (where a job's scripts live) are
/// ignored.
public enum JobDirectory {
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
        public var specs: [JobSpec] { entries.compactMap(\.result.spec) }
        /// Every problem: the folder's, then each file's.
        public var diagnostics: [Diagnostic] { problems + entries.flatMap(\.result.diagnostics) }
    }

    /// Loads every job file in `directory`. Two files with the same stem (`a.yaml` and `a.yml`)
    /// are both reported, since neither can be told apart from the other by name.
    public static func scan(_ directory: String) -> Scan {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder)
            let reason = !exists ? "it does not exist" : !isFolder.boolValue ? "it is a file, not a folder"
                : (error as NSError).localizedDescription
            return Scan(entries: [], problems: [Diagnostic(path: directory, line: 1, column: 1, keyPath: "",
                                                           message: "cannot read the job folder: \(reason)")])
        }
        var files: [(name: String, path: String)] = []
        for file in names where !file.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let name = JobFileLoader.jobName(path: path) else { continue }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            files.append((name, path))
        }
        files.sort { ($0.name, $0.path) < ($1.name, $1.path) }
        let byName = Dictionary(grouping: files, by: \.name)
        let entries = files.map { file -> Entry in
            let result = JobFileLoader.load(path: file.path)
            let twins = byName[file.name, default: []].filter { $0.path != file.path }
            guard !twins.isEmpty else { return Entry(name: file.name, path: file.path, result: result) }
            let others = twins.map { ($0.path as NSString).lastPathComponent }.joined(separator: ", ")
            let clash = Diagnostic(path: file.path, line: 1, column: 1, keyPath: "",
                                   message: "\(others) also defines job \"\(file.name)\"; remove or rename one of the files")
            return Entry(name: file.name, path: file.path, result: .failed([clash] + result.diagnostics))
        }
        return Scan(entries: entries, problems: [])
    }
}
