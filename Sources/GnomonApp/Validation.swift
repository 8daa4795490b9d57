import Foundation
import GnomonJobFiles

/// `gnomon validate`: every problem in every file, one per line.
public enum Validation {
    public struct Report: Sendable {
        public let text: String
        public let valid: Bool
    }

    /// Checks files and folders (the jobs folder when `paths` is empty).
    public static func check(paths: [String], settings: GlobalSettings) throws(AppError) -> Report {
        let targets = paths.isEmpty ? [settings.jobsDirectory] : paths
        var entries: [CatalogEntry] = []
        var lines: [String] = []
        for path in targets {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw AppError(.notFound, "\(path) does not exist; name job files or folders that hold them")
            }
            if isDirectory.boolValue {
                let scan = JobDirectory.scan(path)
                lines += scan.problems.map(\.description)
                entries += scan.entries.map(CatalogEntry.init)
            } else {
                entries.append(CatalogEntry.file(path))
            }
        }
        var invalid = 0
        for entry in entries {
            if case .failed(let problems) = entry.result {
                invalid += 1
                lines += problems.map(\.description)
            }
        }
        let summary = invalid == 0
            ? "\(entries.count) job file\(entries.count == 1 ? "" : "s") valid"
            : "\(invalid) of \(entries.count) job file\(entries.count == 1 ? "" : "s") invalid"
        return Report(text: (lines + [summary]).joined(separator: "\n"), valid: invalid == 0)
    }
}
