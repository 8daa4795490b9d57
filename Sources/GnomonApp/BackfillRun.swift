import Dispatch
import Foundation
import GnomonCore
import GnomonDaemon
import GnomonEngine
import GnomonExecution
import GnomonStore

/// `gnomon backfill JOB --from DAY --to DAY` without `--dry-run`: records the backfill and its
/// fire times (or finds the unfinished one the same command created), then has it driven by a
/// ``BackfillDriver``: one `backfill` run per fire time, oldest first, at most `maxActive` at once,
/// each with the fire time as its scheduled time.
///
/// Who drives: when a daemon runs on the home, the daemon (the command nudges it and follows the
/// backfill's runs in the store, printing the same lines; Ctrl-C stops only the following). Else
/// this process, holding the backfill's ``BackfillLease``; a backfill whose lease another live
/// process holds is followed, never driven twice.
///
/// Resume: the same command again (same job, range, `--task` and `--rerun-succeeded`) finds the
/// unfinished backfill and continues it. Its runs already created are not created again (the
/// store allows one run per backfill and scheduled time); those left unfinished by a runner that
/// died are recovered as the daemon recovers runs at start (their live process groups
/// terminated, open attempts recorded lost, the graph continued), while holding the daemon lock so
/// that a daemon starting at the same moment cannot recover the same run.
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
        /// With a daemon: hand the backfill over and return at once, without following it.
        public var follow: Bool
        public var output: Int32

        public init(
            job: String, from: String, to: String, tasks: [String], maxActive: Int, rerunSucceeded: Bool,
            workers: Int? = nil, killGrace: Duration = .seconds(10), follow: Bool = true, output: Int32 = STDOUT_FILENO
        ) {
            self.job = job
            self.from = from
            self.to = to
            self.tasks = tasks
            self.maxActive = maxActive
            self.rerunSucceeded = rerunSucceeded
            self.workers = workers
            self.killGrace = killGrace
            self.follow = follow
            self.output = output
        }
    }

    /// Has the backfill driven to its end (here or by the daemon); returns 0 when every fire
    /// time's run succeeded.
    public static func run(_ options: Options, settings: GlobalSettings) async throws(AppError) -> CommandExit {
        let job = try JobCatalog.jobWithFile(named: options.job, in: settings.jobsDirectory)
        let stored = BackfillOptions(tasks: options.tasks, maxActive: options.maxActive, rerunSucceeded: options.rerunSucceeded)
        let workspace = try Workspace.open(settings)
        let store = workspace.store
        let say: @Sendable (String) -> Void = { line in DescriptorText.write(line + "\n", to: options.output) }
        let daemon = DaemonLock.runningDaemon(home: settings.home)
        if daemon == nil && !options.follow {
            throw AppError(.environment, "--no-follow hands the backfill to the daemon, and no gnomon daemon runs on "
                + "\(settings.home); start one with `gnomon daemon`, or leave out --no-follow to run the backfill here")
        }

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

        if let daemon {
            DaemonLock.nudge(home: settings.home)
            return try await handOver(backfill, to: daemon, job: job, store: store, settings: settings, follow: options.follow, say: say)
        }
        let lease: BackfillLease?
        do { lease = try BackfillLease.take(home: settings.home, backfill: backfill.id) } catch { throw AppError(error) }
        guard let lease else {
            say("backfill \(backfill.id) is driven by another live process; following it")
            return try await follow(backfill, job: job, store: store, settings: settings, say: say)
        }
        let engine = workspace.engine(workers: options.workers, killGrace: options.killGrace)
        let driver = BackfillDriver(engine: engine, job: job, backfill: backfill, say: say)
        let planned: [BackfillDriver.Work]?
        do {
            planned = try await plannedWork(driver, settings: settings, killGrace: options.killGrace)
        } catch {
            lease.release()
            throw error
        }
        guard let work = planned else {
            // A daemon started since this command looked: it adopts the backfill once the lease is free.
            lease.release()
            DaemonLock.nudge(home: settings.home)
            say("a daemon started on \(settings.home); it drives backfill \(backfill.id); following it")
            return try await follow(backfill, job: job, store: store, settings: settings, say: say)
        }
        let signals = SignalSource(signals: [SIGINT, SIGTERM]) { signal in
            driver.stop(reason: signal == SIGINT ? "interrupted (Ctrl-C)" : "terminated (SIGTERM)")
        }
        await driver.drive(work, maxActive: options.maxActive)
        signals.stop()
        let outcome: BackfillOutcome?
        do {
            outcome = try driver.finish()
        } catch {
            lease.release()
            throw AppError(error)
        }
        lease.release(finished: outcome != nil)
        guard let outcome else {
            say("backfill \(backfill.id) stopped; the same command continues it")
            return .cancelled
        }
        say(outcome.line)
        return outcome.state == .succeeded ? .success : .failure
    }

    /// What this sitting does for each planned fire time, oldest first; recovers the runs whose
    /// runner died. Nil when such runs exist and a daemon holds the home (it started after this
    /// command looked for one): the daemon recovers them when it adopts the backfill.
    static func plannedWork(
        _ driver: BackfillDriver, settings: GlobalSettings, killGrace: Duration
    ) async throws(AppError) -> [BackfillDriver.Work]? {
        let runs: [RunSummary]
        do { runs = try driver.store.backfillRuns(driver.backfill.id) } catch { throw AppError(error) }
        let orphans = runs.filter { !$0.status.isFinished && !runnerIsLive($0) }
        guard let recovered = try await recover(orphans, engine: driver.engine, settings: settings, killGrace: killGrace) else {
            return nil
        }
        return driver.work(runs: runs, recovered: recovered, runnerIsLive: runnerIsLive)
    }

    /// Whether the process recorded as an unfinished run's runner still lives (and is not this one).
    static func runnerIsLive(_ run: RunSummary) -> Bool {
        run.runnerPID > 1 && run.runnerPID != getpid() && Daemon.processIsLive(run.runnerPID)
    }

    /// Takes over `orphans` under the daemon lock, as the daemon does at start; a run whose
    /// cancellation was asked for is finished as cancelled rather than continued. Nil when a
    /// daemon holds the lock.
    static func recover(
        _ orphans: [RunSummary], engine: RunEngine, settings: GlobalSettings, killGrace: Duration
    ) async throws(AppError) -> [Int64: PreparedRun]? {
        guard !orphans.isEmpty else { return [:] }
        let lock: DaemonLock
        do {
            lock = try DaemonLock.acquire(home: settings.home)
        } catch {
            if case .alreadyRunning = error { return nil }
            throw AppError(.environment, "\(error)")
        }
        defer { lock.release() }
        let details: [RunDetail]
        do {
            details = try orphans.compactMap { try engine.store.run($0.id) }.filter { !$0.summary.status.isFinished && !runnerIsLive($0.summary) }
        } catch {
            throw AppError(error)
        }
        var prepared: [Int64: PreparedRun] = [:]
        for (detail, result) in await engine.takeOver(details, grace: killGrace, seed: { UInt64.random(in: 0...UInt64.max) }) {
            switch result {
            case .success(.resume(let run, _)): prepared[detail.id] = run
            case .success(.finished): break
            case .failure(let error): throw AppError(error)
            }
        }
        return prepared
    }
}
