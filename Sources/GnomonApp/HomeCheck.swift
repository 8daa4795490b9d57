import Foundation
import GnomonExecution
import GnomonStore

/// `gnomon check`: the database's integrity, and the logs against it.
public enum HomeCheck {
    /// What a check found.
    public struct Report: Sendable {
        /// Problems SQLite found in the database (integrity, foreign keys).
        public var database: [String] = []
        /// Logs an attempt names that do not exist (attempts that could not start are left out:
        /// their log may never have been made).
        public var missing: [RecordedLog] = []
        /// Files under the logs folder that no attempt names.
        public var orphaned: [String] = []
        public var attempts = 0

        public var sound: Bool { database.isEmpty && missing.isEmpty && orphaned.isEmpty }

        public var text: String {
            var lines = [database.isEmpty ? "database: ok" : "database: \(database.count) problems"]
            lines += database.map { "  \($0)" }
            lines.append("logs: \(attempts) attempts, \(missing.count) logs missing, \(orphaned.count) files no attempt names")
            lines += missing.map { "  missing: \($0.path) (run \($0.run) task \($0.task) attempt \($0.attempt))" }
            lines += orphaned.map { "  orphaned: \($0)" }
            return lines.joined(separator: "\n")
        }
    }

    /// Checks the home's database and its logs folder.
    public static func check(settings: GlobalSettings) throws(AppError) -> Report {
        guard let workspace = try Workspace.openIfPresent(settings) else {
            throw AppError(.notFound, "no database at \(settings.databasePath); nothing to check (check $GNOMON_HOME or --home)")
        }
        var report = Report()
        let logs: [RecordedLog]
        do {
            report.database = try workspace.store.integrityProblems()
            logs = try workspace.store.recordedLogs()
        } catch {
            throw AppError(error)
        }
        report.attempts = logs.count
        let files = FileManager.default
        report.missing = logs.filter { $0.outcome != "could_not_start" && !files.fileExists(atPath: $0.path) }
        // An attempt's scratch files (its output and inputs files) belong to its log, the run's
        // empty inputs file to the run's logs.
        let named = Set(logs.flatMap {
            [$0.path, AttemptFiles.emptyInputsPath(logPath: $0.path)] + AttemptFiles.scratch(logPath: $0.path)
        })
        report.orphaned = filesUnder(settings.home + "/logs").filter { !named.contains($0) }
        return report
    }

    /// Every regular file under `folder`, sorted.
    private static func filesUnder(_ folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let relative = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            let path = folder + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                out.append(path)
            }
        }
        return out.sorted()
    }
}
