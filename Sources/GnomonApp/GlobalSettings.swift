import Foundation
import GnomonJobFiles

/// Where Gnomon finds job files, its settings file and its state, as every command is told.
public struct GlobalSettings: Sendable {
    /// The jobs folder (`--jobs`, `GNOMON_JOBS`, default `./jobs`), absolute.
    public var jobsDirectory: String
    /// Gnomon's home (`--home`, `GNOMON_HOME`, default `./.gnomon`), absolute.
    public var home: String
    /// The settings file (`--config`, `GNOMON_CONFIG`, default `gnomon.yaml` in the folder that
    /// holds the jobs folder), absolute.
    public var configPath: String
    /// Whether the settings file was named (`--config` or `GNOMON_CONFIG`): then it must exist,
    /// while the default one may be absent (empty settings).
    public var configIsExplicit: Bool

    public init(jobs jobsOption: String?, home homeOption: String?, config configOption: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        let cwd = FileManager.default.currentDirectoryPath
        jobsDirectory = Self.absolute(jobsOption ?? environment["GNOMON_JOBS"] ?? "jobs", cwd: cwd)
        home = Self.absolute(homeOption ?? environment["GNOMON_HOME"] ?? ".gnomon", cwd: cwd)
        let named = configOption ?? environment["GNOMON_CONFIG"]
        configIsExplicit = named != nil
        configPath = named.map { Self.absolute($0, cwd: cwd) } ?? SettingsFileFormat.defaultPath(jobsDirectory: jobsDirectory)
    }

    static func absolute(_ path: String, cwd: String) -> String {
        let joined = path.hasPrefix("/") ? path : cwd + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    /// The database file inside the home.
    public var databasePath: String { home + "/gnomon.db" }
}
