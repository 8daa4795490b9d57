import Foundation
import GnomonJobFiles

extension GlobalSettings {
    /// The settings file as loaded (its problems included), or `nil` when the default file is
    /// absent, which means empty settings. A file named by `--config` or `GNOMON_CONFIG` that
    /// does not exist is a not-found error.
    public func loadSettingsFile() throws(AppError) -> SettingsFileResult? {
        if let result = SettingsFileLoader.loadIfPresent(path: configPath) { return result }
        guard configIsExplicit else { return nil }
        throw AppError(.notFound, "settings file \(configPath) does not exist; fix --config or GNOMON_CONFIG, or create the file (see Docs/notifications.md)")
    }
}
