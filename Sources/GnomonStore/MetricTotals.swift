import Foundation
import GnomonCore

/// The counters and histograms `/metrics` serves, as of one event of the durable record.
///
/// Seeded once from the tables (``GnomonStore/metricTotals()``, one aggregate query per family in
/// one snapshot, with the newest event id of that snapshot) and then moved forward by the events
/// after it (``add(_:)``), so a scrape reads only what happened since the last one, never the
/// whole history. Both paths live here, side by side, so they count the same things: a fresh seed
/// taken later equals an older seed plus the events in between (a test holds them to that).
public struct MetricTotals: Sendable, Equatable {
    /// The newest event these totals include; the next update reads the events after it.
    public var eventID: Int64
    /// Runs that began running, by job and trigger (`schedule`, `catchup`, `manual`).
    public var runsStarted: [JobLabel: Int] = [:]
    /// Runs that ended, by job and status (`succeeded`, `failed`, `cancelled`).
    public var runsFinished: [JobLabel: Int] = [:]
    /// Attempts that ended, by job and outcome kind (`exited`, `timed_out`, `could_not_start`, ...).
    public var attempts: [JobLabel: Int] = [:]
    /// Fire times that produced no run, by job and decision (one of ``skippedDecisions``).
    public var skipped: [JobLabel: Int] = [:]
    /// When a run of each job last succeeded (its end).
    public var lastSuccess: [String: Date] = [:]
    /// Run durations (end minus start) of the runs that started and ended, by job.
    public var runDurations: [String: MillisecondHistogram] = [:]
    /// Schedule delays (start minus scheduled time) of the runs that started, by trigger.
    public var scheduleDelays: [String: MillisecondHistogram] = [:]

    public init(eventID: Int64) {
        self.eventID = eventID
    }

    /// The fire-time decisions that mean no run was made for that time: another run was still going
    /// (overlap `skip`), the job was paused, the time was missed while the daemon was down or dropped
    /// from a queue or catch-up backlog, or the run could not be created.
    public static let skippedDecisions: [TickDecision] = [.skippedOverlap, .paused, .missed, .dropped, .error]

    /// Upper bounds of the run-duration buckets, in milliseconds: 1 s to a day, for jobs of seconds
    /// to hours.
    public static let runDurationBounds: [Int64] = [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 21_600, 86_400]
        .map { $0 * 1_000 }
    /// Upper bounds of the schedule-delay buckets, in milliseconds: 10 ms (a loop that keeps up) to an
    /// hour (a run queued behind a long one, or caught up after downtime).
    public static let scheduleDelayBounds: [Int64] = [10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 3_600_000]

    /// Moves the totals forward by `update`'s events (which must follow ``eventID``); the runs the
    /// events name are looked up in `update.runs` for their trigger and times.
    public mutating func add(_ update: MetricUpdate) {
        for event in update.events where event.id > eventID {
            eventID = event.id
            switch event.type {
            case .runStarted:
                guard let id = event.runID, let run = update.runs[id] else { continue }
                runsStarted[JobLabel(event.job, run.trigger), default: 0] += 1
                if let delay = run.scheduleDelay {
                    scheduleDelays[run.trigger, default: MillisecondHistogram(bounds: Self.scheduleDelayBounds)]
                        .observe(delay)
                }
            case .runFinished:
                guard let status = event.status else { continue }
                runsFinished[JobLabel(event.job, status), default: 0] += 1
                let run = event.runID.flatMap { update.runs[$0] }
                if status == RunStatus.succeeded.rawValue {
                    let end = run?.finishedAt ?? event.at
                    if lastSuccess[event.job].map({ $0 < end }) ?? true { lastSuccess[event.job] = end }
                }
                if let duration = run?.duration {
                    runDurations[event.job, default: MillisecondHistogram(bounds: Self.runDurationBounds)].observe(duration)
                }
            case .attemptEnded:
                guard let outcome = event.status else { continue }
                attempts[JobLabel(event.job, outcome), default: 0] += 1
            case .fireTime:
                guard let decision = event.status.flatMap(TickDecision.init(rawValue:)),
                      Self.skippedDecisions.contains(decision) else { continue }
                skipped[JobLabel(event.job, decision.rawValue), default: 0] += 1
            default:
                continue
            }
        }
    }
}

/// A job and one more label value (a trigger, a status, an outcome, a decision).
public struct JobLabel: Sendable, Hashable, Comparable {
    public var job: String
    public var value: String

    public init(_ job: String, _ value: String) {
        self.job = job
        self.value = value
    }

    public static func < (a: JobLabel, b: JobLabel) -> Bool {
        a.job != b.job ? a.job < b.job : a.value < b.value
    }
}

/// A histogram of durations kept in whole milliseconds (the store's precision), so the seed's SQL
/// and the events put a value on a bucket's edge into the same bucket.
public struct MillisecondHistogram: Sendable, Hashable {
    /// Upper bounds (inclusive), ascending.
    public let bounds: [Int64]
    /// Observations per bucket; the last counts those above every bound.
    public private(set) var buckets: [Int]
    public private(set) var count = 0
    public private(set) var sum: Int64 = 0

    public init(bounds: [Int64]) {
        self.bounds = bounds
        buckets = Array(repeating: 0, count: bounds.count + 1)
    }

    /// A histogram from cumulative counts (observations at or below each bound), their total
    /// count and sum, as an aggregate query yields them.
    init(bounds: [Int64], cumulative: [Int], count: Int, sum: Int64) {
        self.init(bounds: bounds)
        var below = 0
        for (index, atOrBelow) in cumulative.enumerated() {
            buckets[index] = atOrBelow - below
            below = atOrBelow
        }
        buckets[bounds.count] = count - below
        self.count = count
        self.sum = sum
    }

    public mutating func observe(_ milliseconds: Int64) {
        let index = bounds.firstIndex { milliseconds <= $0 } ?? bounds.count
        buckets[index] += 1
        count += 1
        sum += milliseconds
    }

    /// Observations at or below each bound, as Prometheus's `_bucket` series count them.
    public var cumulative: [Int] {
        var total = 0
        return bounds.indices.map { index in
            total += buckets[index]
            return total
        }
    }
}

/// What one scrape reads: the events after the last one read, the runs they name, and the state
/// the gauges show now.
public struct MetricUpdate: Sendable {
    public var events: [StoredEvent]
    /// The runs of the `run_started` and `run_finished` events, by id (a run deleted since is absent).
    public var runs: [Int64: RunTiming]
    /// Runs with status `running`, by job.
    public var running: [String: Int]
    /// `gnomon pause`/`resume` overrides, by job.
    public var pausedOverrides: [String: Bool]

    public init(events: [StoredEvent], runs: [Int64: RunTiming] = [:], running: [String: Int] = [:], pausedOverrides: [String: Bool] = [:]) {
        self.events = events
        self.runs = runs
        self.running = running
        self.pausedOverrides = pausedOverrides
    }
}

/// A run's trigger and times, for its metrics.
public struct RunTiming: Sendable, Hashable {
    public var trigger: String
    public var scheduledAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(trigger: String, scheduledAt: Date, startedAt: Date?, finishedAt: Date?) {
        self.trigger = trigger
        self.scheduledAt = scheduledAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    /// Start minus scheduled time, in milliseconds.
    var scheduleDelay: Int64? { startedAt.map { Self.milliseconds($0) - Self.milliseconds(scheduledAt) } }
    /// End minus start, in milliseconds.
    var duration: Int64? {
        guard let startedAt, let finishedAt else { return nil }
        return Self.milliseconds(finishedAt) - Self.milliseconds(startedAt)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000).rounded()) }
}
