import Foundation
import GnomonStore

/// `gnomon pause` and `gnomon resume`: a persisted override of the job file's `paused`.
///
/// The daemon reads the pause state each time a job fires, so no signal is needed: a paused job's
/// fire times are recorded as `paused`; `gnomon trigger` still runs it.
public enum PauseState {
    public static func set(job: String, paused: Bool, settings: GlobalSettings) throws(AppError) -> String {
        try JobCatalog.requireFile(for: job, in: settings.jobsDirectory)
        let workspace = try Workspace.open(settings)
        do {
            try workspace.store.setPaused(job: job, paused: paused, at: Date())
        } catch { throw AppError(error) }
        return paused
            ? "job \(job) paused; its fire times are recorded as paused until `gnomon resume \(job)`"
            : "job \(job) resumed; it fires at its next time"
    }
}
