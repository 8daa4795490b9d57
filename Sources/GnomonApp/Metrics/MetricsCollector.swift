import Foundation
import GnomonCore
import GnomonDaemon
import GnomonServer
import GnomonStore

/// Collects what `GET /metrics` shows: counters and histograms kept in memory, seeded once from
/// the store's history when the server starts and moved forward at each scrape by the events of
/// the durable record since the previous one; gauges read fresh at each scrape (the jobs as the
/// daemon holds them, the running runs, the pause overrides, the scheduler's lag).
///
/// Counters never go backwards while the daemon runs: they only ever add events with a higher id.
/// A daemon restart starts them again from the history then kept (Prometheus' `rate` and
/// `increase` handle that as a counter reset).
actor MetricsCollector {
    private var totals: MetricTotals?
    /// Each job's next fire time as last computed, with the schedule it was computed for.
    private var nextFires: [String: (schedule: ScheduleSpec, next: Date?)] = [:]

    /// Events read per store read while catching up.
    static let batch = 10_000

    /// Seeds the totals from the history if that has not happened yet (the server starts this
    /// at once, so the first scrape seldom waits for it).
    func prepare(_ store: GnomonStore) throws {
        if totals == nil { totals = try store.metricTotals() }
    }

    /// The metrics text now.
    func scrape(_ context: APIContext) throws -> String {
        let store = context.store
        try prepare(store)
        var totals = self.totals!
        var update: MetricUpdate
        repeat {
            update = try store.metricUpdate(after: totals.eventID, limit: Self.batch)
            totals.add(update)
        } while update.events.count == Self.batch
        self.totals = totals
        let snapshot = MetricsSnapshot(
            now: context.daemon.now(), startedAt: context.daemon.startedAt, schedulerLag: context.daemon.schedulerLag(),
            version: GnomonVersion.current,
            jobs: jobStates(context.daemon.board, update: update, now: context.daemon.now(), newest: try newestOfContinuous(context)),
            totals: totals)
        return snapshot.text()
    }

    /// The gauges of every job the daemon holds, sorted by name.
    private func jobStates(
        _ board: JobBoard, update: MetricUpdate, now: Date, newest: [String: RunSummary]
    ) -> [MetricsSnapshot.Job] {
        board.jobs.values.sorted { $0.name < $1.name }.map { job in
            var state = MetricsSnapshot.Job(name: job.name, valid: job.problems.isEmpty, running: update.running[job.name] ?? 0)
            if let definition = job.definition {
                state.paused = update.pausedOverrides[job.name] ?? definition.spec.paused
                if let schedule = definition.schedule, let continuous = schedule.continuous {
                    // Known only from the job's newest run; absent while a from: end run runs.
                    state.nextFire = ContinuousOutlook(continuous, newest: newest[job.name], now: now).time
                } else if let schedule = definition.schedule {
                    state.nextFire = nextFire(job.name, schedule, now: now)
                }
            }
            return state
        }
    }

    /// The newest run of each job with a continuous schedule (one query; none for other jobs).
    private func newestOfContinuous(_ context: APIContext) throws -> [String: RunSummary] {
        let names = context.daemon.board.jobs.values.filter { $0.definition?.schedule?.continuous != nil }.map(\.name)
        return names.isEmpty ? [:] : try context.store.lastRuns(jobs: names)
    }

    /// The schedule's first fire time after `now`, computed again only once it has passed or the
    /// schedule changed (1,000 jobs cost 1,000 dictionary reads per scrape, not 1,000 cron searches).
    private func nextFire(_ job: String, _ schedule: JobSchedule, now: Date) -> Date? {
        if let cached = nextFires[job], cached.schedule == schedule.spec, let next = cached.next, next > now {
            return next
        }
        let next = schedule.next(after: now)
        nextFires[job] = (schedule.spec, next)
        return next
    }
}

extension APIContext {
    /// `GET /metrics`: the Prometheus text exposition format.
    func metrics(_ request: ServerRequest) async throws(APIError) -> ServerResponse {
        try request.onlyQuery([])
        let text: String
        do {
            text = try await metricsCollector.scrape(self)
        } catch {
            throw APIError(AppError(error))
        }
        return .text(text, type: ExpositionText.contentType)
    }
}
