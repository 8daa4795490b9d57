import Foundation

/// Where Gnomon finds job files and keeps its state, as every command is told.
public struct GlobalSettings: Sendable {
    /// The jobs folder (`--jobs`, `GNOMON_JOBS`, default `./jobs`), absolute.
    public var jobsDirectory: String
    /// Gnomon's home (`--home`, `GNOMON_HOME`, default `./.gnomon`), absolute.
    public var home: String

    public init(jobs jobsOption: String?, home homeOption: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let cwd = FileManager.default.currentDirectoryPath
        jobsDirectory = Self.absolute(jobsOption ?? environment["GNOMON_JOBS"] ?? "jobs", cwd: cwd)
        home = Self.absolute(homeOption ?? environment["GNOMON_HOME"] ?? ".gnomon", cwd: cwd)
    }

    static func absolute(_ path: String, cwd: String) -> String {
        let joined = path.hasPrefix("/") ? path : cwd + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    /// The database file inside the home.
    public var databasePath: String { home + "/gnomon.db" }
}
