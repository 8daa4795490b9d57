import Foundation
import GnomonStore

/// `gnomon backup FILE`: a consistent copy of the database, taken while Gnomon runs.
public enum HomeBackup {
    /// Copies the home's database to `file`, a new file (logs are not copied: they are files).
    public static func backup(to file: String, settings: GlobalSettings) throws(AppError) -> String {
        let target = (file as NSString).expandingTildeInPath
        guard !FileManager.default.fileExists(atPath: target) else {
            throw AppError(.failure, "\(target) exists; name a new file (a backup never replaces a file)")
        }
        guard let workspace = try Workspace.openIfPresent(settings) else {
            throw AppError(.notFound, "no database at \(settings.databasePath); nothing to back up (check $GNOMON_HOME or --home)")
        }
        do {
            try workspace.store.backup(to: target)
            return "backed up \(settings.databasePath) to \(target)"
        } catch {
            throw AppError(error)
        }
    }
}
