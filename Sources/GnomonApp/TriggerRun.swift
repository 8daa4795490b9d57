import Foundation
import GnomonCore
import GnomonDaemon
import GnomonEngine
import GnomonStore

/// `gnomon trigger`: asks the running daemon for a manual run and prints its id.
///
/// The daemon cannot see another process's database writes, so the request is written to the
/// store and the daemon nudged with SIGUSR1 (it also polls every second, in case the signal is
/// lost); this command then watches the request until the daemon attaches a run to it.
public enum TriggerRun {
    /// How long the daemon may take to answer a request before the command gives up (exit 6).
    public static let answerTimeout: Duration = .seconds(10)

    /// Asks this machine's daemon for the run; returns its id.
    public static func request(job: String, params: [String: String], settings: GlobalSettings) async throws(AppError) -> Int64 {
        try await requestLocally(job: job, params: params, tasks: [], settings: settings)
    }

    /// Asks the daemon behind `source` for a run of `job` (only `tasks`, when not empty); returns its id.
    public static func request(
        job: String, params: [String: String], tasks: [String], source: any CommandSource
    ) async throws(AppError) -> Int64 {
        try await source.trigger(job: job, params: params, tasks: tasks)
    }

    /// The check of `--task` names against the job's tasks (in its file's order), with the
    /// message `gnomon run --task` gives (exit 3).
    static func checkTasks(_ tasks: [String], job: String, known: [String]) throws(AppError) {
        let unknown = tasks.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw AppError(EngineError.unknownTasks(job: job, names: unknown, known: known))
        }
    }

    /// ``request(job:params:tasks:source:)`` on this machine: a request in the store, a nudge.
    static func requestLocally(
        job: String, params: [String: String], tasks: [String], settings: GlobalSettings
    ) async throws(AppError) -> Int64 {
        try JobCatalog.requireFile(for: job, in: settings.jobsDirectory)
        if !tasks.isEmpty {
            // Only with --task is the job's file parsed: a plain trigger stays cheap with many jobs.
            let definition = try JobCatalog.jobWithFile(named: job, in: settings.jobsDirectory)
            try checkTasks(tasks, job: job, known: definition.spec.tasks.map(\.name))
        }
        guard let pid = DaemonLock.runningDaemon(home: settings.home) else {
            throw AppError(.environment, "no gnomon daemon runs on \(settings.home); start one with `gnomon daemon`, "
                + "or run the job in the foreground with `gnomon run \(job)`")
        }
        let workspace = try Workspace.open(settings)
        let id: Int64
        do {
            id = try workspace.store.addTriggerRequest(job: job, params: params, tasks: tasks, at: Date())
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

    /// Waits for run `id` of this machine to end; returns the exit status for its outcome (0, 1 or 5).
    public static func wait(run id: Int64, settings: GlobalSettings) async throws(AppError) -> (CommandExit, String) {
        try await wait(run: id, source: LocalSource(settings: settings))
    }

    /// Waits for run `id` to end, watching it through `source`; returns the exit status for its
    /// outcome (0, 1 or 5) and the line that tells it.
    public static func wait(run id: Int64, source: any CommandSource) async throws(AppError) -> (CommandExit, String) {
        let detail = try await source.waitUntilFinished(run: id, within: nil)
        let status = detail.summary.status
        let line = "run \(id) \(status.rawValue)" + (detail.summary.reason.map { " (\($0))" } ?? "")
        switch status {
        case .succeeded: return (.success, line)
        case .cancelled: return (.cancelled, line)
        default: return (.failure, line)
        }
    }
}
