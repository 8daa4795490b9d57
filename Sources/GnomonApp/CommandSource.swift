import Foundation
import Glibc
import GnomonCore
import GnomonExecution
import GnomonStore
import Synchronization

/// Where the commands that read and steer runs (`jobs`, `runs`, `show`, `logs`, `ticks`,
/// `trigger`, `kill`, `retry`, `pause`, `resume`) get their data and send their changes: this
/// machine's store and jobs folder (``LocalSource``) or a daemon's JSON API (``RemoteSource``,
/// `--server`). Each command makes its text and JSON once, from what its source returns, so the
/// two can never print differently.
public protocol CommandSource: Sendable {
    /// The folders the command was given (a remote source reads only the home's `api-token`).
    var settings: GlobalSettings { get }

    /// How long a command waits between two looks at a run it waits for.
    var pollInterval: Duration { get }

    /// Every job with its schedule, next fire time, pause state, newest run and first problem.
    func jobRows(now: Date) async throws(AppError) -> [JobListing.Row]

    /// Runs matching `query`, newest first; nil when there is no database yet (nothing ran here).
    func runs(_ query: RunQuery) async throws(AppError) -> [RunSummary]?

    /// The recorded run `id`, or a `.notFound` error.
    func run(_ id: Int64) async throws(AppError) -> RunDetail

    /// The recorded run `id` for reading without its job definition: a local database leaves the
    /// snapshot out (it holds only the job's name), which is most of the cost of a big run.
    func runWithoutSnapshot(_ id: Int64) async throws(AppError) -> RunDetail

    /// The fire times the daemon considered for `job`, latest first; nil when there is no database yet.
    func ticks(job: String, limit: Int) async throws(AppError) -> [Tick]?

    /// Persists the pause state of `job` (which must exist).
    func setPaused(job: String, paused: Bool) async throws(AppError)

    /// Asks whoever runs run `id` to stop it; a `.failure` error when it has already ended.
    func requestKill(run id: Int64) async throws(AppError)

    /// The error for a run asked to stop that is still `detail` after `wait`.
    func notStopped(_ detail: RunDetail, wait: Duration) -> AppError

    /// Asks the daemon for a manual run of `job` (only `tasks` when not empty); returns its id.
    func trigger(job: String, params: [String: String], tasks: [String]) async throws(AppError) -> Int64

    /// Continues failed or cancelled run `id` to its end, showing its progress on `output`;
    /// returns the exit status for its outcome. `workers` and `killGrace` apply where the run
    /// executes in this process.
    func retry(run id: Int64, workers: Int?, killGrace: Duration, output: Int32) async throws(AppError) -> CommandExit

    /// Writes the log of `attempt` of run `run` to `output`; with `follow`, keeps writing until
    /// the attempt has ended and its log is drained.
    func copyLog(run: Int64, attempt: AttemptRecord, follow: Bool, to output: FileHandle) async throws(AppError)
}

extension CommandSource {
    /// ``retry(run:workers:killGrace:output:)`` showing its progress on standard output.
    public func retry(run id: Int64, workers: Int?, killGrace: Duration) async throws(AppError) -> CommandExit {
        try await retry(run: id, workers: workers, killGrace: killGrace, output: STDOUT_FILENO)
    }

    /// Looks at run `id` until it has ended, or until `wait` (when given) has passed; returns it
    /// as last seen.
    func waitUntilFinished(run id: Int64, within wait: Duration?) async throws(AppError) -> RunDetail {
        let deadline = wait.map { ContinuousClock.now + $0 }
        while true {
            let detail = try await run(id)
            if detail.summary.status.isFinished { return detail }
            if let deadline, ContinuousClock.now >= deadline { return detail }
            try? await Task.sleep(for: pollInterval)
        }
    }
}

/// The commands' source on this machine: the store in the home and the jobs folder.
public final class LocalSource: CommandSource {
    public let settings: GlobalSettings
    public var pollInterval: Duration { .milliseconds(100) }

    /// The store once opened: a command that polls a run opens it once.
    private let opened = Mutex<Workspace?>(nil)

    public init(settings: GlobalSettings) {
        self.settings = settings
    }

    /// The workspace, when the database exists (reading commands never create it).
    private func workspace() throws(AppError) -> Workspace? {
        if let workspace = opened.withLock({ $0 }) { return workspace }
        guard let workspace = try Workspace.openIfPresent(settings) else { return nil }
        opened.withLock { $0 = workspace }
        return workspace
    }

    public func jobRows(now: Date) throws(AppError) -> [JobListing.Row] {
        try JobListing.load(settings: settings, now: now).rows
    }

    public func runs(_ query: RunQuery) throws(AppError) -> [RunSummary]? {
        guard let workspace = try workspace() else { return nil }
        do { return try workspace.store.runs(query) } catch { throw AppError(error) }
    }

    public func run(_ id: Int64) throws(AppError) -> RunDetail {
        guard let workspace = try workspace() else {
            throw Workspace.runNotFound(id, settings: settings, databaseExists: false)
        }
        return try workspace.run(id)
    }

    public func runWithoutSnapshot(_ id: Int64) throws(AppError) -> RunDetail {
        guard let workspace = try workspace() else {
            throw Workspace.runNotFound(id, settings: settings, databaseExists: false)
        }
        return try workspace.run(id, snapshot: false)
    }

    public func ticks(job: String, limit: Int) throws(AppError) -> [Tick]? {
        guard let workspace = try workspace() else { return nil }
        let ticks: [Tick]
        do { ticks = try workspace.store.ticks(job: job, limit: limit) } catch { throw AppError(error) }
        // A job with no file and no fire time is a typo (exit 3 with a did-you-mean, as the API
        // answers); a deleted job's recorded fire times still list.
        if ticks.isEmpty { try JobCatalog.requireFile(for: job, in: settings.jobsDirectory) }
        return ticks
    }

    public func setPaused(job: String, paused: Bool) throws(AppError) {
        try JobCatalog.requireFile(for: job, in: settings.jobsDirectory)
        let workspace = try Workspace.open(settings)
        do {
            try workspace.store.setPaused(job: job, paused: paused, at: Date())
        } catch { throw AppError(error) }
    }

    public func requestKill(run id: Int64) throws(AppError) {
        let detail = try run(id)
        guard let workspace = try workspace() else { throw Workspace.runNotFound(id, settings: settings, databaseExists: false) }
        guard !detail.summary.status.isFinished else { throw RunKill.alreadyEnded(detail) }
        let reason = "killed by gnomon kill (pid \(ProcessInfo.processInfo.processIdentifier))"
        do {
            _ = try workspace.store.requestCancel(run: id, reason: reason, at: Date())
        } catch { throw AppError(error) }
    }

    public func notStopped(_ detail: RunDetail, wait: Duration) -> AppError {
        let id = detail.id, runner = detail.summary.runnerPID
        let alive = Foundation.kill(runner, 0) == 0
        return AppError(.timedOut, alive
            ? "asked run \(id) to stop, but its runner (pid \(runner)) has not finished stopping it within \(DurationText.format(wait)); it will be recorded cancelled when it does"
            : "run \(id) is marked \(detail.summary.status.rawValue) but its runner (pid \(runner)) is gone; `gnomon daemon` recovers such runs when it starts")
    }

    public func trigger(job: String, params: [String: String], tasks: [String]) async throws(AppError) -> Int64 {
        try await TriggerRun.requestLocally(job: job, params: params, tasks: tasks, settings: settings)
    }

    public func retry(run id: Int64, workers: Int?, killGrace: Duration, output: Int32) async throws(AppError) -> CommandExit {
        try await ForegroundRun.retry(run: id, workers: workers, killGrace: killGrace, settings: settings, output: output)
    }

    /// Copies one log; when following, keeps reading until the attempt has ended and the file is
    /// drained. A middle dropped under `log_limit` while the attempt runs reads as the line that
    /// says so.
    public func copyLog(run: Int64, attempt record: AttemptRecord, follow: Bool, to output: FileHandle) async throws(AppError) {
        guard let input = AttemptLogReader(path: record.logPath) else {
            throw AppError(.notFound, "log \(record.logPath) of run \(run) task \(record.task) attempt \(record.number) is missing")
        }
        var ended = record.outcome != nil
        while true {
            switch input.next() {
            case .bytes(let bytes):
                output.write(Data(bytes))
                continue
            case .dropped(let line):
                output.write(Data(line.utf8))
                continue
            case nil:
                break
            }
            if !follow || ended { return }
            try? await Task.sleep(for: .milliseconds(200))
            let latest = try? self.run(run)
            ended = latest?.attempts.first { $0.task == record.task && $0.number == record.number }?.outcome != nil
        }
    }
}
