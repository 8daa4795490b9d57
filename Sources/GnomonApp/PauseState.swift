import Foundation
import GnomonStore

/// `gnomon pause` and `gnomon resume`: a persisted override of the job file's `paused`.
///
/// The daemon reads the pause state each time a job fires, so no signal is needed: a paused job's
/// fire times are recorded as `paused`; `gnomon trigger` still runs it.
public enum PauseState {
    /// Pauses or resumes `job` in this machine's store.
    public static func set(job: String, paused: Bool, settings: GlobalSettings) throws(AppError) -> String {
        try LocalSource(settings: settings).setPaused(job: job, paused: paused)
        return message(job: job, paused: paused)
    }

    /// Pauses or resumes `job` through `source`.
    public static func set(job: String, paused: Bool, source: any CommandSource) async throws(AppError) -> String {
        try await source.setPaused(job: job, paused: paused)
        return message(job: job, paused: paused)
    }

    static func message(job: String, paused: Bool) -> String {
        paused
            ? "job \(job) paused; its fire times are recorded as paused until `gnomon resume \(job)`"
            : "job \(job) resumed; it fires at its next time"
    }
}
