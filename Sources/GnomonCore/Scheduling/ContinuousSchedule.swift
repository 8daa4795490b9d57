import Foundation

/// Which moment of the previous run a continuous schedule counts from.
public enum ContinuousAnchor: String, Sendable, Hashable, Codable, CaseIterable {
    /// The next run starts `every` after the previous run ended: runs never overlap.
    case end
    /// The next run starts `every` after the previous run started; the overlap rule decides when
    /// that run still runs.
    case start
}

/// A continuous schedule as written: `schedule: { every: 10m, from: end }`.
public struct ContinuousSpec: Sendable, Hashable, Codable, CustomStringConvertible {
    public var every: Duration
    public var from: ContinuousAnchor

    public init(every: Duration, from: ContinuousAnchor) {
        self.every = every
        self.from = from
    }

    /// `every 10m from end`: what listings show as the job's schedule.
    public var description: String { "every \(DurationText.format(every)) from \(from.rawValue)" }
}

/// The job's run that a continuous schedule counts from: its newest one, of any trigger.
public struct PreviousRun: Sendable, Hashable {
    public var id: Int64
    public var started: Date
    /// `nil` while it runs.
    public var ended: Date?

    public init(id: Int64, started: Date, ended: Date?) {
        self.id = id
        self.started = started
        self.ended = ended
    }
}

/// When a continuous schedule fires next.
public enum ContinuousNext: Sendable, Hashable {
    /// At this time (at once when it has passed).
    case at(Date)
    /// Only once this run has ended (`from: end` while a run of the job runs); its end time is the
    /// anchor.
    case afterRunEnds(Int64)
}

/// A schedule whose fire times follow the job's own runs: `every` after the previous run ended
/// (`from: end`) or started (`from: start`).
///
/// It has no fire times of its own (`next(after:)` is `nil`: a calendar of them would be
/// invented), so cron-only consumers (catch-up plans, backfills, lateness checks) see none;
/// ``nextFireTime(previous:running:lastDecided:since:)`` is the one rule for when it fires.
public struct ContinuousSchedule: Schedule, Sendable, Hashable {
    public let every: Duration
    public let from: ContinuousAnchor

    public init(every: Duration, from: ContinuousAnchor) {
        self.every = every
        self.from = from
    }

    public func next(after date: Date) -> Date? { nil }

    /// The next fire time.
    ///
    /// - Parameters:
    ///   - previous: the job's newest run, if it has one.
    ///   - running: a run of the job that runs now, if any (with `from: end` nothing fires until
    ///     it ends).
    ///   - lastDecided: the latest fire time already decided (fired, skipped, paused; for a time
    ///     reached late, the moment it was decided); the next
    ///     is at least `every` after it, so a time skipped for overlap or pause is not offered
    ///     again at once.
    ///   - since: when the schedule was first seen; a job with no run fires then (at once).
    public func nextFireTime(previous: PreviousRun?, running: Int64?, lastDecided: Date?, since: Date) -> ContinuousNext {
        if from == .end, let running { return .afterRunEnds(running) }
        let gap = every.secondsDouble
        var next: Date
        if let previous {
            let anchor = from == .end ? previous.ended ?? previous.started : previous.started
            next = anchor.addingTimeInterval(gap)
        } else {
            next = since
        }
        if let lastDecided { next = max(next, lastDecided.addingTimeInterval(gap)) }
        return .at(next)
    }
}

extension JobSchedule {
    /// The continuous schedule, when this is one.
    public var continuous: ContinuousSchedule? { schedule as? ContinuousSchedule }
}

/// Where one job's continuous schedule stands: the runs it counts from and the fire times decided.
///
/// A pure value, like ``JobTimeline``: the daemon tells it when runs start and end and asks it
/// what is due at `now`. After downtime the one overdue time is offered once (late), never a
/// burst: the next counts from the run it starts.
public struct ContinuousTimeline: Sendable {
    /// What is due at a given moment.
    public enum Due: Sendable, Hashable {
        case none
        /// Reached while the daemon was watching.
        case onTime(Date)
        /// Reached much later than it should have been (the daemon was down, the machine
        /// suspended): one run fires now for it.
        case late(Date)
    }

    public let schedule: ContinuousSchedule
    public let since: Date
    public private(set) var lastDecided: Date?
    /// The job's newest run.
    public var previous: PreviousRun?

    public init(schedule: ContinuousSchedule, since: Date, previous: PreviousRun?, lastDecided: Date?) {
        self.schedule = schedule
        self.since = since
        self.previous = previous
        self.lastDecided = lastDecided.flatMap { $0 >= since ? $0 : nil }
    }

    /// The next fire time, given the run of the job running now (if any).
    public func next(running: Int64?) -> ContinuousNext {
        schedule.nextFireTime(previous: previous, running: running, lastDecided: lastDecided, since: since)
    }

    /// Takes the fire time due at `now`, if any, and marks it decided.
    ///
    /// - Parameter delay: the jitter drawn for it; a time is on time when `now` is at most
    ///   ``JobTimeline/onTimeTolerance`` past it plus this delay.
    public mutating func takeDue(now: Date, delay: TimeInterval = 0, running: Int64?) -> Due {
        guard case .at(let time) = next(running: running), time.addingTimeInterval(max(0, delay)) <= now else { return .none }
        if now.timeIntervalSince(time) <= JobTimeline.onTimeTolerance + max(0, delay) {
            lastDecided = time
            return .onTime(time)
        }
        // Late: whatever becomes of it (a run, a pause), the next time counts from now.
        lastDecided = now
        return .late(time)
    }

    /// A run of the job started (of any trigger): the next counts from it.
    public mutating func started(_ run: Int64, at date: Date) {
        // A run recovered after a crash is already the newest, with its first start.
        if let newest = previous, newest.id >= run { return }
        previous = PreviousRun(id: run, started: date, ended: nil)
    }

    /// A run of the job ended; only the newest run's end counts.
    public mutating func ended(_ run: Int64, at date: Date) {
        guard var newest = previous, newest.id == run else { return }
        newest.ended = date
        previous = newest
    }
}
