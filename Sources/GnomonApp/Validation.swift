import Foundation
import GnomonJobFiles

/// `gnomon validate`: every problem in the settings file and in every job file, one per line.
public enum Validation {
    public struct Report: Sendable {
        public let text: String
        public let valid: Bool
    }

    /// Checks files and folders (the jobs folder when `paths` is empty), and the settings file
    /// when there is one: the channel names of job files' rules are checked against it.
    public static func check(paths: [String], settings: GlobalSettings) throws(AppError) -> Report {
        let settingsFile = try settings.loadSettingsFile()
        // Without a settings file no channel is defined, so any rule naming one is a problem.
        let channels = settingsFile?.channelNames ?? []
        let targets = paths.isEmpty ? [settings.jobsDirectory] : paths
        var entries: [CatalogEntry] = []
        var lines: [String] = settingsFile?.diagnostics.map(\.description) ?? []
        for path in targets {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw AppError(.notFound, "\(path) does not exist; name job files or folders that hold them")
            }
            if isDirectory.boolValue {
                let scan = JobDirectory.scan(path, channels: channels)
                lines += scan.problems.map(\.description)
                entries += scan.entries.map(CatalogEntry.init)
            } else {
                entries.append(CatalogEntry.file(path, channels: channels))
            }
        }
        var invalid = 0
        for entry in entries {
            if case .failed(let problems) = entry.result {
                invalid += 1
                lines += problems.map(\.description)
            }
        }
        var summary = invalid == 0
            ? "\(entries.count) job file\(entries.count == 1 ? "" : "s") valid"
            : "\(invalid) of \(entries.count) job file\(entries.count == 1 ? "" : "s") invalid"
        if let settingsFile {
            summary = (settingsFile.isValid ? "settings file valid; " : "settings file invalid; ") + summary
        }
        let valid = invalid == 0 && settingsFile?.isValid != false
        return Report(text: (lines + [summary]).joined(separator: "\n"), valid: valid)
    }
}
