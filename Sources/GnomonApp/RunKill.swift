import Foundation
import GnomonCore
import GnomonStore

/// `gnomon kill`: asks whichever process runs a run to stop it, and waits to see it stop.
public enum RunKill {
    /// Stops run `id` of this machine's store.
    public static func kill(run id: Int64, wait: Duration, settings: GlobalSettings) async throws(AppError) -> String {
        try await kill(run: id, wait: wait, source: LocalSource(settings: settings))
    }

    /// Stops run `id` through `source`; prints its final status, or fails with `.timedOut` (6)
    /// when it has not stopped within `wait`.
    public static func kill(run id: Int64, wait: Duration, source: any CommandSource) async throws(AppError) -> String {
        try await source.requestKill(run: id)
        let detail = try await source.waitUntilFinished(run: id, within: wait)
        guard detail.summary.status.isFinished else { throw source.notStopped(detail, wait: wait) }
        return "run \(id) \(detail.summary.status.rawValue)"
    }

    /// The refusal to kill a run that has ended (exit 1).
    static func alreadyEnded(_ detail: RunDetail) -> AppError {
        AppError(.failure, "run \(detail.id) has already ended (\(detail.summary.status.rawValue)); nothing to kill")
    }
}
