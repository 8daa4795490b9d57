import Foundation
import GnomonCore
import GnomonJobFiles

/// The jobs folder as loaded: every job file with its spec or its problems.
public struct JobCatalog: Sendable {
    public let directory: String
    public let entries: [JobFileEntry]

    /// Loads every job file in `directory`.
    public static func load(_ directory: String) throws(AppError) -> JobCatalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AppError(.notFound, "jobs folder \(directory) does not exist; pass --jobs DIR or set GNOMON_JOBS")
        }
        return JobCatalog(directory: directory, entries: JobDirectory.scan(directory))
    }

    /// The valid definition of job `name`, or an error that says what is wrong and how to fix it.
    public func job(named name: String) throws(AppError) -> JobSpec {
        guard let entry = entries.first(where: { $0.name == name }) else {
            let names = entries.map(\.name)
            let hint = Suggest.closest(to: name, among: names).map { "; did you mean \"\($0)\"?" }
                ?? (names.isEmpty ? "; the folder has no job files" : "; known jobs: \(names.joined(separator: ", "))")
            throw AppError(.notFound, "no job \"\(name)\" in \(directory)\(hint)")
        }
        switch entry.result {
        case .valid(let spec):
            return spec
        case .invalid(let problems):
            let lines = problems.map(\.description).joined(separator: "\n")
            throw AppError(.failure, "job \(name) is invalid; fix these and try again:\n\(lines)")
        }
    }
}
