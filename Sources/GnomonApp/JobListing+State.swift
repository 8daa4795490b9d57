import Foundation
import GnomonStore

extension JobListing {
    /// The listing with each job's last run and pause state (the store's override, else the
    /// file's) read from the database when there is one.
    public static func withState(settings: GlobalSettings, now: Date = Date()) throws(AppError) -> JobListing {
        guard let workspace = try Workspace.openIfPresent(settings) else { return try make(settings: settings, now: now) }
        let names = try JobCatalog.load(settings.jobsDirectory).entries.map(\.name)
        let lastRuns: [String: RunSummary]
        let paused: [String: Bool]
        do {
            lastRuns = try workspace.store.lastRuns(jobs: names)
            paused = try workspace.store.pausedOverrides()
        } catch { throw AppError(.environment, "\(error)") }
        let last = lastRuns.mapValues { LastRun(id: $0.id, status: $0.status.rawValue, at: $0.startedAt ?? $0.createdAt) }
        return try make(settings: settings, now: now, lastRuns: last, paused: paused)
    }
}
