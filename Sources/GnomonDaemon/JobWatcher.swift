import Foundation
import GnomonCore
import GnomonJobFiles

/// Notices job files added, edited and removed, cheaply enough to ask every two seconds.
///
/// It keeps each file's modification time (nanoseconds), size and inode, and the folder's own
/// modification time. A poll lists the folder only when the folder changed (a file was added,
/// removed or renamed) and loads only the files whose stamp changed: with 1,000 job files an idle
/// poll costs one `stat` per file. Which files count, and what two files for one name give, is
/// `JobDirectory`'s to say, as for every command that reads the folder.
final class JobWatcher {
    /// What a poll found for one job name.
    enum Change: Equatable {
        case loaded(name: String, path: String, job: ValidJob)
        case invalid(name: String, path: String, problems: [Diagnostic])
        case removed(name: String)

        var name: String {
            switch self {
            case .loaded(let name, _, _), .invalid(let name, _, _), .removed(let name): return name
            }
        }
    }

    /// What identifies one version of a file.
    struct Stamp: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int64
        var inode: UInt64
    }

    let directory: String
    private var folderStamp: Stamp?
    private var files: [String: Stamp] = [:]
    /// Every path known to hold a job file, by job name.
    private var pathsByName: [String: Set<String>] = [:]

    init(directory: String) {
        self.directory = directory
    }

    /// The problem with the folder itself, if it cannot be read.
    private(set) var folderProblem: Diagnostic?

    /// Loads what changed since the last poll; with `everything`, reloads every file.
    func poll(everything: Bool = false) -> [Change] {
        let folder = Self.stamp(directory)
        var paths = Set(files.keys)
        if everything || folder != folderStamp || folder == nil {
            folderStamp = folder
            guard let listed = listFiles() else { return [] }
            paths = listed
        }
        var changedNames: Set<String> = []
        var results: [String: JobFileResult] = [:]
        for path in paths {
            guard let name = JobFileLoader.jobName(path: path) else { continue }
            guard let stamp = Self.stamp(path) else {
                // Removed between the listing and now.
                if files.removeValue(forKey: path) != nil { changedNames.insert(name) }
                pathsByName[name]?.remove(path)
                continue
            }
            if everything || files[path] != stamp {
                files[path] = stamp
                results[path] = JobFileLoader.load(path: path)
                changedNames.insert(name)
                pathsByName[name, default: []].insert(path)
            }
        }
        for path in Set(files.keys).subtracting(paths) {
            files[path] = nil
            if let name = JobFileLoader.jobName(path: path) {
                pathsByName[name]?.remove(path)
                changedNames.insert(name)
            }
        }
        return changedNames.sorted().map { name in change(for: name, results: &results) }
    }

    private func change(for name: String, results: inout [String: JobFileResult]) -> Change {
        let paths = (pathsByName[name] ?? []).sorted()
        if paths.isEmpty {
            pathsByName[name] = nil
            return .removed(name: name)
        }
        let entries = JobDirectory.entries(
            named: name, loaded: paths.map { ($0, results[$0] ?? JobFileLoader.load(path: $0)) })
        if entries.count == 1, case .loaded(let job) = entries[0].result {
            return .loaded(name: name, path: entries[0].path, job: job)
        }
        return .invalid(name: name, path: paths[0], problems: entries.flatMap(\.result.diagnostics))
    }

    /// The job-file paths directly in the folder, or nil (with `folderProblem` set) if it cannot
    /// be read.
    private func listFiles() -> Set<String>? {
        switch JobDirectory.files(in: directory) {
        case .success(let files):
            folderProblem = nil
            return Set(files.map(\.path))
        case .failure(let problem):
            folderProblem = problem
            return nil
        }
    }

    /// The file's stamp: what it points to for a symbolic link, the link itself for one that
    /// points nowhere (so that it counts, as `JobDirectory` counts it, until it is removed).
    static func stamp(_ path: String) -> Stamp? {
        var info = stat()
        guard stat(path, &info) == 0 || lstat(path, &info) == 0 else { return nil }
        return Stamp(
            seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec), size: Int64(info.st_size),
            inode: UInt64(info.st_ino))
    }
}
