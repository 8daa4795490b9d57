import Foundation
import GnomonCore
import GnomonStore

/// `gnomon kill`: asks whichever process runs a run to stop it, and waits to see it stop.
public enum RunKill {
    public static func kill(run id: Int64, wait: Duration, settings: GlobalSettings) async throws(AppError) -> String {
        let (workspace, detail) = try Workspace.recordedRun(id, settings: settings)
        guard !detail.summary.status.isFinished else {
            throw AppError(.failure, "run \(id) has already ended (\(detail.summary.status.rawValue)); nothing to kill")
        }
        let reason = "killed by gnomon kill (pid \(ProcessInfo.processInfo.processIdentifier))"
        do {
            _ = try workspace.store.requestCancel(run: id, reason: reason, at: Date())
        } catch { throw AppError(error) }
        let deadline = ContinuousClock.now + wait
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            if let now = try? workspace.store.run(id), now.summary.status.isFinished {
                return "run \(id) \(now.summary.status.rawValue)"
            }
        }
        let runner = detail.summary.runnerPID
        let alive = Foundation.kill(runner, 0) == 0
        throw AppError(.timedOut, alive
            ? "asked run \(id) to stop, but its runner (pid \(runner)) has not finished stopping it within \(DurationText.format(wait)); it will be recorded cancelled when it does"
            : "run \(id) is marked \(detail.summary.status.rawValue) but its runner (pid \(runner)) is gone; `gnomon daemon` recovers such runs when it starts")
    }
}
