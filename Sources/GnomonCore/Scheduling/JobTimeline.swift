import Foundation

/// Where one job's schedule stands: which fire times have been decided and which one is next.
///
/// A pure value: the daemon asks it what is due at `now` and records what it says. Every fire time
/// up to and including `considered` has been decided (fired, skipped, missed...); nothing before it
/// is ever offered again, so no time fires twice from here.
public struct JobTimeline: Sendable {
    /// What is due at a given moment.
    public enum Due: Sendable, Hashable {
        /// Nothing yet.
        case none
        /// One fire time, reached while the daemon was watching: fire it.
        case onTime(Date)
        /// Several times, or one reached much later than it should have been (the daemon was down,
        /// the machine suspended or stalled): apply the job's catch-up policy.
        case missed(CatchupPlan)
    }

    /// How late a single fire time may be reached and still count as on time. Beyond this the
    /// machine was suspended or stalled, and the catch-up policy decides.
    public static let onTimeTolerance: TimeInterval = 30

    public let schedule: any Schedule
    public private(set) var considered: Date

    /// - Parameter considered: the latest moment whose fire times are decided; for a job seen
    ///   for the first time, the moment it was first seen, so nothing before it ever fires.
    public init(schedule: any Schedule, considered: Date) {
        self.schedule = schedule
        self.considered = considered
    }

    /// The next fire time not yet decided.
    public var nextFireTime: Date? { schedule.next(after: considered) }

    /// Takes every fire time due at `now` and says what to do with them.
    ///
    /// - Parameters:
    ///   - delay: the jitter drawn for the next fire time; a time is on time when `now` is at most
    ///     `onTimeTolerance` past it plus this delay.
    ///   - policy, paused: the job's catch-up policy and pause state, for missed times.
    public mutating func takeDue(now: Date, delay: TimeInterval = 0, policy: CatchupPolicy, paused: Bool) -> Due {
        guard let first = schedule.next(after: considered), first <= now else { return .none }
        let second = schedule.next(after: first)
        if second.map({ $0 > now }) ?? true,
           now.timeIntervalSince(first) <= Self.onTimeTolerance + max(0, delay) {
            considered = first
            return .onTime(first)
        }
        let plan = CatchupPlanner.plan(schedule: schedule, policy: policy, paused: paused, after: considered, through: now)
        considered = plan.times.last?.fireTime ?? now
        return .missed(plan)
    }

    /// Moves the decided mark to `date` without deciding anything (a schedule change, a new job):
    /// times before it never fire.
    public mutating func skip(to date: Date) {
        if date > considered { considered = date }
    }
}
