import Foundation
import GnomonCore
import GnomonStore

/// Drives one backfill: works through its fire times oldest first, at most `maxActive` runs at
/// once, each a `backfill` run with the fire time as its scheduled time, saying when each run
/// starts and ends. The one driver of both homes of a backfill: a foreground `gnomon backfill`
/// and the daemon (which hands it its own engine, so the runs are the daemon's like any other).
///
/// Whoever drives holds the backfill's ``BackfillLease``. `stop` (Ctrl-C of a foreground driver)
/// cancels the running runs; `drain` (the daemon's shutdown) suspends them. Either way no new run
/// starts and the backfill stays unfinished for the next sitting.
public final class BackfillDriver: @unchecked Sendable {
    /// One fire time's part in this sitting.
    public enum Work: Sendable {
        /// No run yet: create one.
        case create(Date)
        /// A run whose runner died, recovered by this driver's process: continue it.
        case resume(Date, PreparedRun)
        /// A run another live process runs: wait for its end.
        case await(Date, Int64)

        public var time: Date {
            switch self {
            case .create(let time), .resume(let time, _), .await(let time, _): return time
            }
        }
    }

    public let engine: RunEngine
    public let store: GnomonStore
    public let job: ValidJob
    public let backfill: BackfillRecord
    public let zone: TimeZone
    let only: Set<String>?
    let say: @Sendable (String) -> Void
    let observe: @Sendable (PreparedRun) -> any RunObserver
    /// Guards `controls`, `stopReason` and `drainGrace`.
    private let lock = NSLock()
    private var controls: [Int64: RunControl] = [:]
    private var stopReason: String?
    private var drainGrace: Duration?

    /// - Parameters:
    ///   - say: receives each progress line (`TIME: run N started`, `TIME: run N succeeded`).
    ///   - observe: the observer of each run this driver executes (the daemon's log lines).
    public init(
        engine: RunEngine, job: ValidJob, backfill: BackfillRecord,
        observe: @escaping @Sendable (PreparedRun) -> any RunObserver = { _ in SilentObserver() },
        say: @escaping @Sendable (String) -> Void
    ) {
        self.engine = engine
        self.store = engine.store
        self.job = job
        self.backfill = backfill
        self.zone = job.schedule?.timeZone ?? TimeZone(identifier: "UTC")!
        self.only = backfill.options.tasks.isEmpty ? nil : Set(backfill.options.tasks)
        self.observe = observe
        self.say = say
    }

    /// Whether `stop` or `drain` was asked for: the backfill is not over.
    public var stopped: Bool { lock.withLock { stopReason != nil || drainGrace != nil } }

    /// Cancels every run this driver executes and starts no other.
    public func stop(reason: String) {
        let running = lock.withLock { () -> [RunControl] in
            stopReason = reason
            return Array(controls.values)
        }
        for control in running { control.cancel(reason: reason) }
    }

    /// Starts no other run and drains the running ones (`RunControl.drain`): they stay unfinished,
    /// and so does the backfill, for the next start.
    public func drain(grace: Duration) {
        let running = lock.withLock { () -> [RunControl] in
            drainGrace = grace
            return Array(controls.values)
        }
        for control in running { control.drain(grace: grace) }
    }

    /// What this sitting does for each planned fire time, oldest first, given the backfill's runs
    /// (`runs`) and those of them this process took over (`recovered`). An unfinished run neither
    /// recovered here nor run by a live process (`runnerIsLive`) is left out: it cannot be continued.
    public func work(runs: [RunSummary], recovered: [Int64: PreparedRun], runnerIsLive: (RunSummary) -> Bool) -> [Work] {
        let byTime = Dictionary(runs.map { ($0.scheduledAt, $0) }, uniquingKeysWith: { first, _ in first })
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

    /// Works through `work` to its end (or until stopped or drained).
    public func drive(_ work: [Work], maxActive: Int) async {
        await withTaskGroup(of: Void.self) { group in
            var active = 0
            for item in work {
                if active == max(1, maxActive) {
                    await group.next()
                    active -= 1
                }
                if stopped { break }
                // Runs are created here, one after another, so their ids follow the fire times.
                guard let next = await start(item) else { continue }
                group.addTask { await self.finish(next, time: item.time) }
                active += 1
            }
            await group.waitForAll()
        }
    }

    /// Records how the backfill ended unless it was stopped or drained; returns the outcome, or
    /// nil when the backfill goes on at a later sitting.
    public func finish() throws -> BackfillOutcome? {
        if stopped { return nil }
        let outcome = BackfillOutcome(backfill, runs: try store.backfillRuns(backfill.id), zone: zone)
        try store.finishBackfill(backfill.id, state: outcome.state, at: engine.clock.now())
        return outcome
    }

    /// What a started fire time waits for: its run executed here, or another process's run.
    private enum Started: Sendable {
        case execute(PreparedRun)
        case await(Int64)
    }

    /// Creates the fire time's run if it has none; nil when there is nothing to wait for.
    private func start(_ item: Work) async -> Started? {
        let when = ISOTime.format(item.time, zone: zone)
        switch item {
        case .create(let time):
            do {
                let prepared = try await engine.startNewRun(
                    job: job, trigger: .backfill, scheduledAt: time, only: only, backfill: backfill.id)
                say("\(when): run \(prepared.id) started")
                return .execute(prepared)
            } catch StoreError.duplicateRun(_, _, let existing) {
                say("\(when): run \(existing) exists already (another process drives this backfill); waiting for it")
                return .await(existing)
            } catch {
                say("\(when): could not create a run: \(error)")
                return nil
            }
        case .resume(_, let run):
            say("\(when): run \(run.id) continued (its runner had died)")
            return .execute(run)
        case .await(_, let id):
            say("\(when): run \(id) is run by another live process; waiting for it")
            return .await(id)
        }
    }

    private func finish(_ started: Started, time: Date) async {
        let when = ISOTime.format(time, zone: zone)
        switch started {
        case .await(let id):
            let status = await waitForEnd(of: id)
            say("\(when): run \(id) \(status.map(\.rawValue) ?? "gone")")
        case .execute(let prepared):
            let control = RunControl()
            let (reason, grace) = lock.withLock {
                controls[prepared.id] = control
                return (stopReason, drainGrace)
            }
            if let reason { control.cancel(reason: reason) } else if let grace { control.drain(grace: grace) }
            let status = await engine.execute(prepared, observer: observe(prepared), control: control)
            lock.withLock { _ = controls.removeValue(forKey: prepared.id) }
            say("\(when): run \(prepared.id) \(status.rawValue)")
        }
    }

    /// Polls the store until run `id` is finished (another process's run: no event reaches this
    /// one); nil if the run disappeared or this driver was stopped.
    private func waitForEnd(of id: Int64) async -> RunStatus? {
        while !stopped {
            guard let detail = try? store.run(id, snapshot: false) else { return nil }
            if detail.summary.status.isFinished { return detail.summary.status }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return nil
    }
}

/// How a backfill ended, from its planned fire times and its runs: `succeeded` when every fire
/// time's run succeeded, else `failed`, with the line that says so.
public struct BackfillOutcome: Sendable, Equatable {
    public let state: BackfillState
    /// `backfill N succeeded: 30 run(s)`, or `backfill N failed: ...` naming each fire time that
    /// did not succeed.
    public let line: String

    public init(_ backfill: BackfillRecord, runs: [RunSummary], zone: TimeZone) {
        let byTime = Dictionary(runs.map { ($0.scheduledAt, $0) }, uniquingKeysWith: { _, last in last })
        let bad = backfill.times.filter { byTime[$0]?.status != .succeeded }
        if bad.isEmpty {
            state = .succeeded
            line = "backfill \(backfill.id) succeeded: \(backfill.times.count) run(s)"
            return
        }
        let listed = bad.map { time in
            let when = ISOTime.format(time, zone: zone)
            guard let run = byTime[time] else { return "\(when) (no run)" }
            return "\(when) (run \(run.id) \(run.status.rawValue))"
        }
        state = .failed
        line = "backfill \(backfill.id) failed: \(bad.count) of \(backfill.times.count) fire time(s) did not succeed: "
            + listed.joined(separator: ", ") + "; the same command runs them again in a new backfill"
    }
}
