import Foundation
import GnomonCore
import GnomonDaemon
import GnomonStore

/// `gnomon trigger`: asks the running daemon for a manual run and prints its id.
///
/// The daemon cannot see another process's database writes, so the request is written to the
/// store and the daemon nudged with SIGUSR1 (it also polls every second, in case the signal is
/// lost); this command then watches the request until the daemon attaches a run to it.
public enum TriggerRun {
    /// How long the daemon may take to answer a request before the command gives up (exit 6).
    public static let answerTimeout: Duration = .seconds(10)

    /// Asks for the run; returns its id.
    public static func request(job: String, params: [String: String], settings: GlobalSettings) async throws(AppError) -> Int64 {
        try JobCatalog.requireFile(for: job, in: settings.jobsDirectory)
        guard let pid = DaemonLock.runningDaemon(home: settings.home) else {
            throw AppError(.environment, "no gnomon daemon runs on \(settings.home); start one with `gnomon daemon`, "
                + "or run the job in the foreground with `gnomon run \(job)`")
        }
        let workspace = try Workspace.open(settings)
        let id: Int64
        do {
            id = try workspace.store.addTriggerRequest(job: job, params: params, at: Date())
        } catch { throw AppError(error) }
        DaemonLock.nudge(home: settings.home)
        let deadline = ContinuousClock.now + answerTimeout
        var pause: Duration = .milliseconds(2)
        while ContinuousClock.now < deadline {
            let request: TriggerRequest?
            do { request = try workspace.store.triggerRequest(id) } catch { throw AppError(error) }
            if let run = request?.runID { return run }
            if let reason = request?.reason { throw AppError(.failure, "the daemon refused to run \(job): \(reason)") }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
        throw AppError(.timedOut, "the daemon (pid \(pid)) did not take trigger request \(id) within "
            + "\(DurationText.format(answerTimeout)); it stays queued and runs when the daemon gets to it")
    }

    /// Waits for run `id` to end; returns the exit status for its outcome (0, 1 or 5).
    public static func wait(run id: Int64, settings: GlobalSettings) async throws(AppError) -> (CommandExit, String) {
        let workspace = try Workspace.open(settings)
        while true {
            let detail = try workspace.run(id)
            let status = detail.summary.status
            if status.isFinished {
                let line = "run \(id) \(status.rawValue)" + (detail.summary.reason.map { " (\($0))" } ?? "")
                switch status {
                case .succeeded: return (.success, line)
                case .cancelled: return (.cancelled, line)
                default: return (.failure, line)
                }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
