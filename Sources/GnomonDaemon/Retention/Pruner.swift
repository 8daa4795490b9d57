import Dispatch
import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonStore
import Logging
import Synchronization

/// Removes the history outside each job's retention policy (`keep:`): runs with their tasks,
/// attempts, ticks, events, alerts and log files, then the ticks, events and alerts about no run
/// that are older than the default `days`, then gives free pages back to the file system.
///
/// Everything happens in small batches, each its own short write transaction, with a pause
/// after each as long as the transaction took: a big backlog never holds the write lock for
/// long, and the daemon's scheduler keeps firing on time while it goes. Which runs are outside
/// a policy is GnomonCore's `Retention`; a running run, or one whose alerts are not yet
/// delivered or decided, is never removed.
///
/// The daemon runs a pass every ``interval`` on its clock, on a thread of its own (never the
/// scheduling loop's); `gnomon prune` runs one by hand.
public final class Pruner: Sendable {
    /// How often the daemon prunes by default: often enough that an every-second job's backlog
    /// between passes (600 runs) is a few transactions, rarely enough that the sweep of the event
    /// record (a look at every kept event) costs nothing noticeable.
    public static let interval = Duration.seconds(600)
    /// Runs read per look at a job's oldest runs.
    static let window = 200
    /// Runs deleted per transaction: about 50 × 10 attempts, a few milliseconds.
    static let batch = 50
    /// Ticks, events or alerts deleted (or looked at, for events) per transaction.
    static let rowBatch = 2_000
    /// Pages given back per transaction (1 MiB at 4 KiB pages).
    static let vacuumStep = 256
    /// Free pages kept in the file: new rows reuse them without growing it again.
    static let freeReserve = 64
    /// The shortest pause between two transactions.
    static let minimumPause = 0.002

    let store: GnomonStore
    private let logger: Logger?
    private let policies = Mutex<(fallback: RetentionPolicy, jobs: [String: RetentionPolicy])>((.standard, [:]))

    public init(store: GnomonStore, logger: Logger? = nil) {
        self.store = store
        self.logger = logger
    }

    /// Takes the policies: `fallback` (the settings file's `keep:` over the built-in default)
    /// for every job not in `jobs`, whose file may no longer exist.
    public func configure(fallback: RetentionPolicy, jobs: [String: RetentionPolicy]) {
        policies.withLock { $0 = (fallback, jobs) }
    }

    /// Takes the policies from the settings and the jobs' definitions.
    public func configure(settings: GnomonSettings, jobs: [JobSpec]) {
        configure(fallback: settings.defaultRetention,
                  jobs: Dictionary(jobs.map { ($0.name, settings.retention(for: $0)) }, uniquingKeysWith: { $1 }))
    }

    func policy(for job: String) -> RetentionPolicy {
        policies.withLock { $0.jobs[job] ?? $0.fallback }
    }

    /// Prunes until the calling task is cancelled: a pass every `interval` on `clock`, the first
    /// one `interval` after the call. Each pass runs on a thread of its own.
    public func run(clock: any EngineClock, every interval: Duration = Pruner.interval) async {
        var next = clock.now().addingTimeInterval(interval.secondsDouble)
        while !Task.isCancelled {
            do { try await clock.sleep(until: next) } catch { return }
            let now = clock.now()
            let stop = StopFlag()
            await withTaskCancellationHandler {
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    DispatchQueue.global(qos: .utility).async {
                        self.passLogged(now: now, stop: stop)
                        done.resume()
                    }
                }
            } onCancel: {
                stop.set()
            }
            // Counted from this pass's start, not its end: the passes keep their times on the clock.
            next = now.addingTimeInterval(interval.secondsDouble)
        }
    }

    private func passLogged(now: Date, stop: StopFlag) {
        do {
            let started = ContinuousClock.now
            let report = try prune(now: now, stop: stop)
            guard report.removedAnything else { return }
            // How long the pass took (its pauses included): `scripts/bench prune` reads it.
            let seconds = (ContinuousClock.now - started).secondsDouble
            logger?.info("pruned history", metadata: [
                "runs": "\(report.runs)", "attempts": "\(report.attempts)", "log_files": "\(report.logFiles)",
                "log_bytes": "\(report.logBytes)", "events": "\(report.events)", "ticks": "\(report.ticks)",
                "database_bytes": "\(report.databaseBytesAfter)", "seconds": "\(String(format: "%.1f", seconds))",
            ])
        } catch {
            logger?.error("could not prune the history", metadata: ["error": "\(error)"])
        }
    }

    /// One pass at `now`: removes (or, with `dryRun`, counts) what is outside the policies.
    /// With `pacing` each write transaction is followed by a pause as long as it took.
    public func prune(now: Date, dryRun: Bool = false, pacing: Bool = true, stop: StopFlag = StopFlag()) throws -> PruneReport {
        var report = PruneReport(dryRun: dryRun)
        let before = try store.storageFigures()
        report.databaseBytesBefore = before.bytes
        report.incrementalVacuum = before.incrementalVacuum
        let unread = try store.runsWithUnreadEvents()
        let fallback = policies.withLock { $0.fallback }
        for job in try store.jobsWithHistory() {
            if stop.isSet { break }
            let policy = policy(for: job)
            try pruneRuns(of: job, policy: policy, unread: unread, now: now, dryRun: dryRun, pacing: pacing, stop: stop, into: &report)
            if dryRun { continue }
            while !stop.isSet {
                let deleted = try paced(pacing) { try store.pruneTicks(job: job, before: policy.cutoff(now: now), limit: Self.rowBatch) }
                report.ticks += deleted
                if deleted < Self.rowBatch { break }
            }
        }
        if !dryRun {
            try sweepEvents(before: fallback.cutoff(now: now), pacing: pacing, stop: stop, into: &report)
            while !stop.isSet {
                let deleted = try paced(pacing) { try store.pruneRunlessDeliveries(before: fallback.cutoff(now: now), limit: Self.rowBatch) }
                report.deliveries += deleted
                if deleted < Self.rowBatch { break }
            }
            try reclaim(pacing: pacing, stop: stop, into: &report)
        }
        report.databaseBytesAfter = try store.storageFigures().bytes
        return report
    }

    /// Looks at `job`'s runs oldest first, a window at a time, and removes those outside `policy`.
    private func pruneRuns(
        of job: String, policy: RetentionPolicy, unread: Set<Int64>, now: Date, dryRun: Bool, pacing: Bool,
        stop: StopFlag, into report: inout PruneReport
    ) throws {
        var after: Int64 = 0
        while !stop.isSet {
            let window = try store.retentionWindow(
                job: job, after: after, keepNewest: policy.runs, cutoff: policy.cutoff(now: now), limit: Self.window)
            guard let last = window.runs.last else { return }
            after = last.id
            let runs = window.runs.map { run in
                var run = run
                if unread.contains(run.id) { run.alertsPending = true }
                return run
            }
            let verdicts = Retention.verdicts(runs, newerRuns: window.newerRuns, policy: policy, now: now)
            var outside: [Int64] = []
            for run in runs {
                let verdict = verdicts[run.id] ?? .keep
                report.count(verdict)
                if verdict.isPrune { outside.append(run.id) }
            }
            if dryRun {
                report.runs += outside.count
                let paths = try store.logPaths(ofRuns: outside)
                report.attempts += paths.count
                for path in paths {
                    guard let size = Self.fileSize(path) else { continue }
                    report.logFiles += 1
                    report.logBytes += size
                }
                continue
            }
            for start in stride(from: 0, to: outside.count, by: Self.batch) {
                if stop.isSet { return }
                let chunk = Array(outside[start..<min(start + Self.batch, outside.count)])
                let pruned = try paced(pacing) { try store.pruneRuns(chunk, at: now) }
                report.runs += pruned.runs.count
                report.attempts += pruned.attempts
                report.ticks += pruned.ticks
                report.deliveries += pruned.deliveries
                Self.removeLogs(pruned.logPaths, into: &report)
            }
        }
    }

    /// Deletes log files nothing points at any more (with the scratch files a crashed attempt
    /// may have left beside its log), and each run's log folder (with the run's empty inputs file)
    /// once empty.
    static func removeLogs(_ paths: [String], into report: inout PruneReport) {
        var folders: Set<String> = []
        for path in paths {
            AttemptFiles.remove(logPath: path)
            let size = fileSize(path)
            guard unlink(path) == 0 else { continue }
            report.logFiles += 1
            report.logBytes += size ?? 0
            folders.insert((path as NSString).deletingLastPathComponent)
        }
        // Fails harmlessly when something else is still in the folder.
        // Whole runs are pruned: the run's empty inputs file goes with its logs.
        for folder in folders {
            unlink(folder + "/" + AttemptFiles.emptyInputsName)
            rmdir(folder)
        }
    }

    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// Looks at the whole event record up to what every reader has read, a batch at a time, and
    /// deletes the events of runs no longer recorded and those about no run before `cutoff`.
    private func sweepEvents(before cutoff: Date, pacing: Bool, stop: StopFlag, into report: inout PruneReport) throws {
        guard let range = try store.sweepableEvents() else { return }
        var from: Int64? = range.lowerBound
        while let start = from, !stop.isSet {
            let swept = try paced(pacing) {
                try store.sweepEvents(from: start, rows: Self.rowBatch, limit: range.upperBound, before: cutoff)
            }
            report.events += swept.deleted
            from = swept.next
        }
    }

    /// Gives free pages beyond a small reserve back to the file system, a step at a time.
    private func reclaim(pacing: Bool, stop: StopFlag, into report: inout PruneReport) throws {
        var figures = try store.storageFigures()
        guard figures.incrementalVacuum else { return }
        while figures.freePages > Self.freeReserve, !stop.isSet {
            let step = min(Self.vacuumStep, figures.freePages - Self.freeReserve)
            let given = try paced(pacing) { try store.reclaimFreePages(step) }
            report.reclaimedBytes += Int64(given) * Int64(figures.pageSize)
            if given == 0 { break }
            figures = try store.storageFigures()
        }
    }

    /// Runs one write transaction, then (with `pacing`) pauses as long as it took, so that
    /// others waiting for the write lock get it at least half the time.
    private func paced<T>(_ pacing: Bool, _ body: () throws -> T) throws -> T {
        let started = ContinuousClock.now
        let result = try body()
        if pacing {
            let took = (ContinuousClock.now - started).secondsDouble
            Thread.sleep(forTimeInterval: max(Self.minimumPause, took))
        }
        return result
    }
}

/// Asks a pass of the pruner to stop between two transactions.
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func set() { flag.store(true, ordering: .relaxed) }
    public var isSet: Bool { flag.load(ordering: .relaxed) }
}
