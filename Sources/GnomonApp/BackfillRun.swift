import Dispatch
import Foundation
import GnomonCore
import GnomonDaemon
import GnomonEngine
import GnomonExecution
import GnomonStore

/// `gnomon backfill JOB --from DAY --to DAY` without `--dry-run`: records the backfill and its
/// fire times, then runs one `backfill` run per fire time in this process, oldest first, at most
/// `maxActive` at once, each with the fire time as its scheduled time.
///
/// Resume: the same command again (same job, range, `--task` and `--rerun-succeeded`) finds the
/// unfinished backfill and continues it. Its runs already created are not created again (the
/// store allows one run per backfill and scheduled time); those left unfinished by a runner that
/// died are recovered as the daemon recovers runs at start (their live process groups
/// terminated, open attempts recorded lost, the graph continued), while holding the daemon lock so
/// that a daemon starting at the same moment cannot recover the same run; those a live process
/// runs (a daemon that recovered them) are waited for.
public enum BackfillRun {
    public struct Options: Sendable {
        public var job: String
        public var from: String
        public var to: String
        public var tasks: [String]
        public var maxActive: Int
        public var rerunSucceeded: Bool
        public var workers: Int?
        public var killGrace: Duration
        public var output: Int32

        public init(
            job: String, from: String, to: String, tasks: [String], maxActive: Int, rerunSucceeded: Bool,
            workers: Int? = nil, killGrace: Duration = .seconds(10), output: Int32 = STDOUT_FILENO
        ) {
            self.job = job
            self.from = from
            self.to = to
            self.tasks = tasks
            self.maxActive = maxActive
            self.rerunSucceeded = rerunSucceeded
            self.workers = workers
            self.killGrace = killGrace
            self.output = output
        }
    }

    /// One fire time's part in this sitting.
    enum Work: Sendable {
        /// No run yet: create one.
        case create(Date)
        /// A run whose runner died, recovered by this process: continue it.
        case resume(Date, PreparedRun)
        /// A run another live process runs: wait for its end.
        case await(Date, Int64)

        var time: Date {
            switch self {
            case .create(let time), .resume(let time, _), .await(let time, _): return time
            }
        }
    }

    /// Drives the backfill to its end; returns 0 when every fire time's run succeeded.
    public static func run(_ options: Options, settings: GlobalSettings) async throws(AppError) -> CommandExit {
        let job = try JobCatalog.jobWithFile(named: options.job, in: settings.jobsDirectory)
        let stored = BackfillOptions(tasks: options.tasks, maxActive: options.maxActive, rerunSucceeded: options.rerunSucceeded)
        let workspace = try Workspace.open(settings)
        let store = workspace.store
        let engine = workspace.engine(workers: options.workers, killGrace: options.killGrace)
        let zone = job.schedule?.timeZone ?? TimeZone(identifier: "UTC")!
        let say: @Sendable (String) -> Void = { line in DescriptorText.write(line + "\n", to: options.output) }

        let backfill: BackfillRecord
        do {
            if let found = try store.unfinishedBackfill(job: job.name, from: options.from, to: options.to, options: stored) {
                backfill = found
                say("resuming backfill \(found.id) of \(job.name): \(found.times.count) fire time(s) from \(options.from) through \(options.to)")
            } else {
                let plan = try BackfillPlan.make(job: job.name, from: options.from, to: options.to,
                                                 rerunSucceeded: options.rerunSucceeded, tasks: options.tasks, settings: settings)
                if plan.times.isEmpty {
                    say(try plan.render(json: false))
                    return .success
                }
                backfill = try store.createBackfill(job: job.name, from: options.from, to: options.to, options: stored,
                                                    times: plan.times, at: Date())
                say("backfill \(backfill.id) of \(job.name): \(plan.times.count) fire time(s) from \(options.from) through "
                    + "\(options.to), at most \(options.maxActive) at once")
            }
        } catch {
            throw AppError(error)
        }

        let work = try await plannedWork(backfill, engine: engine, store: store, settings: settings, killGrace: options.killGrace)
        let driver = Driver(engine: engine, store: store, job: job, backfill: backfill.id,
                            only: options.tasks.isEmpty ? nil : Set(options.tasks), zone: zone, say: say)
        let signals = SignalSource(signals: [SIGINT, SIGTERM]) { signal in
            driver.stop(reason: signal == SIGINT ? "interrupted (Ctrl-C)" : "terminated (SIGTERM)")
        }
        await driver.drive(work, maxActive: options.maxActive)
        signals.stop()
        return try finish(backfill, driver: driver, store: store, zone: zone, say: say)
    }

    /// What this sitting does for each planned fire time, oldest first; recovers the runs whose
    /// runner died.
    static func plannedWork(
        _ backfill: BackfillRecord, engine: RunEngine, store: GnomonStore, settings: GlobalSettings, killGrace: Duration
    ) async throws(AppError) -> [Work] {
        let runs: [RunSummary]
        do { runs = try store.backfillRuns(backfill.id) } catch { throw AppError(error) }
        let byTime = Dictionary(runs.map { ($0.scheduledAt, $0) }, uniquingKeysWith: { first, _ in first })
        let orphans = runs.filter { !$0.status.isFinished && !runnerIsLive($0) }
        let recovered = try await recover(orphans, engine: engine, store: store, settings: settings, killGrace: killGrace)
        var work: [Work] = []
        for time in backfill.times {
            guard let run = byTime[time] else {
                work.append(.create(time))
                continue
            }
            if run.status.isFinished { continue }
            if let prepared = recovered[run.id] {
                work.append(.resume(time, prepared))
            } else if runnerIsLive(run) {
                work.append(.await(time, run.id))
            }
        }
        return work
    }

    /// Whether the process recorded as an unfinished run's runner still lives (and is not this one).
    static func runnerIsLive(_ run: RunSummary) -> Bool {
        run.runnerPID > 1 && run.runnerPID != getpid() && Daemon.processIsLive(run.runnerPID)
    }

    /// Takes over `orphans` under the daemon lock, as the daemon does at start; a run whose
    /// cancellation was asked for is finished as cancelled rather than continued.
    static func recover(
        _ orphans: [RunSummary], engine: RunEngine, store: GnomonStore, settings: GlobalSettings, killGrace: Duration
    ) async throws(AppError) -> [Int64: PreparedRun] {
        guard !orphans.isEmpty else { return [:] }
        let lock: DaemonLock
        do {
            lock = try DaemonLock.acquire(home: settings.home)
        } catch {
            throw AppError(.failure, "backfill runs \(orphans.map { String($0.id) }.joined(separator: ", ")) of "
                + "\(orphans[0].job) were left unfinished by a process that died, and a daemon holds \(settings.home) "
                + "(\(error)); the daemon recovers such runs when it starts: restart it (or stop it) and run this command again")
        }
        defer { lock.release() }
        var prepared: [Int64: PreparedRun] = [:]
        do {
            let details = try orphans.compactMap { try store.run($0.id) }.filter { !$0.summary.status.isFinished && !runnerIsLive($0.summary) }
            let recorded = details.flatMap(RunEngine.openAttempts).compactMap { $0.containerName == nil && $0.slurm == nil ? $0.pgid : nil }
            let groups = Array(Set(recorded + engine.unrecordedGroups(ofRuns: details)))
            await RunEngine.terminateOrphanGroups(groups, grace: killGrace)
            for detail in details {
                if case .resume(let run, _) = try await engine.prepareRecovery(of: detail, seed: UInt64.random(in: 0...UInt64.max)) {
                    prepared[detail.id] = run
                }
            }
        } catch {
            throw AppError(error)
        }
        return prepared
    }

    /// Records how the backfill ended and says it; a backfill stopped by a signal stays unfinished.
    static func finish(
        _ backfill: BackfillRecord, driver: Driver, store: GnomonStore, zone: TimeZone, say: @Sendable (String) -> Void
    ) throws(AppError) -> CommandExit {
        let runs: [RunSummary]
        do { runs = try store.backfillRuns(backfill.id) } catch { throw AppError(error) }
        if driver.stopped {
            say("backfill \(backfill.id) stopped; the same command continues it")
            return .cancelled
        }
        let byTime = Dictionary(runs.map { ($0.scheduledAt, $0) }, uniquingKeysWith: { _, last in last })
        let bad = backfill.times.filter { byTime[$0]?.status != .succeeded }
        do {
            try store.finishBackfill(backfill.id, state: bad.isEmpty ? .succeeded : .failed, at: Date())
        } catch {
            throw AppError(error)
        }
        if bad.isEmpty {
            say("backfill \(backfill.id) succeeded: \(backfill.times.count) run(s)")
            return .success
        }
        let listed = bad.map { time in
            let when = ISOTime.format(time, zone: zone)
            guard let run = byTime[time] else { return "\(when) (no run)" }
            return "\(when) (run \(run.id) \(run.status.rawValue))"
        }
        say("backfill \(backfill.id) failed: \(bad.count) of \(backfill.times.count) fire time(s) did not succeed: "
            + listed.joined(separator: ", ") + "; the same command runs them again in a new backfill")
        return .failure
    }
}
