import Foundation
import GnomonCore
import GnomonJobFiles

/// One job file and what loading it gave.
public struct CatalogEntry: Sendable, Hashable {
    public let name: String
    public let path: String
    public let result: JobFileResult

    init(_ entry: JobDirectory.Entry) {
        self.init(name: entry.name, path: entry.path, result: entry.result)
    }

    init(name: String, path: String, result: JobFileResult) {
        self.name = name
        self.path = path
        self.result = result
    }

    /// Loads a single job file named on the command line, checking its rules' channel names
    /// against `channels` when given.
    static func file(_ path: String, channels: Set<String>? = nil) -> CatalogEntry {
        CatalogEntry(name: JobFileLoader.jobName(path: path) ?? path, path: path,
                     result: JobFileLoader.load(path: path, channels: channels))
    }
}

/// The jobs folder as loaded: every job file with its spec or its problems.
public struct JobCatalog: Sendable {
    public let directory: String
    public let entries: [CatalogEntry]
    /// Problems with the folder itself (it cannot be read).
    public let problems: [Diagnostic]

    /// Loads every job file in `directory`.
    public static func load(_ directory: String) throws(AppError) -> JobCatalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AppError(.notFound, "jobs folder \(directory) does not exist; pass --jobs DIR or set GNOMON_JOBS")
        }
        let scan = JobDirectory.scan(directory)
        return JobCatalog(directory: directory, entries: scan.entries.map(CatalogEntry.init), problems: scan.problems)
    }

    /// The valid definition of job `name` (with its graph and parsed schedule), or an error that
    /// says what is wrong and how to fix it.
    public func job(named name: String) throws(AppError) -> ValidJob {
        guard let entry = entries.first(where: { $0.name == name }) else {
            let names = entries.map(\.name)
            throw Self.unknownJob(name, among: names, in: directory, otherwise: "known jobs: \(names.joined(separator: ", "))")
        }
        switch entry.result {
        case .loaded(let job):
            return job
        case .failed(let problems):
            let lines = problems.map(\.description).joined(separator: "\n")
            throw AppError(.failure, "job \(name) is invalid; fix these and try again:\n\(lines)")
        }
    }

    /// The not-found error for job `name`: a did-you-mean when a known name is close, else
    /// `otherwise` (or that the folder has none).
    static func unknownJob(_ name: String, among names: [String], in directory: String, otherwise: String) -> AppError {
        let hint = Suggest.closest(to: name, among: names).map { "did you mean \"\($0)\"?" }
            ?? (names.isEmpty ? "the folder has no job files" : otherwise)
        return AppError(.notFound, "no job \"\(name)\" in \(directory); \(hint)")
    }
}
