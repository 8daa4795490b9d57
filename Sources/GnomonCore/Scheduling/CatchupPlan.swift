import Foundation

/// What the daemon decided for one fire time it did not fire at its time.
public enum MissedDecision: String, Sendable, Hashable, CaseIterable {
    /// Not run: catch-up `none`, or older than the one `latest` runs.
    case missed
    /// Run late, with trigger `catchup`.
    case caughtUp
    /// Catch-up `all`: older than the most recent `CatchupPlanner.allCap` times, so not run.
    case dropped
    /// The job was paused.
    case paused
}

/// One fire time the daemon did not fire at its time, and what it does about it.
public struct MissedTime: Sendable, Hashable {
    public var fireTime: Date
    public var decision: MissedDecision

    public init(_ fireTime: Date, _ decision: MissedDecision) {
        self.fireTime = fireTime
        self.decision = decision
    }
}

/// What to do with the fire times missed while the daemon was down (or the machine suspended).
public struct CatchupPlan: Sendable, Hashable {
    /// Times too old to be listed one by one: how many (about, past `CatchupPlanner.countLimit`),
    /// the first and last of them, and the decision they all share.
    public struct Unlisted: Sendable, Hashable {
        public var count: Int
        /// False when the count is an estimate: the span held more than `countLimit` times.
        public var exact: Bool
        public var first: Date
        public var last: Date
        public var decision: MissedDecision
    }

    /// The most recent missed times with their decisions, oldest first (at most `recordLimit`).
    public var times: [MissedTime]
    public var unlisted: Unlisted?
    /// Something the log and the tick record should say, e.g. how many times were dropped.
    public var warning: String?

    /// Every missed time, listed or not.
    public var total: Int { times.count + (unlisted?.count ?? 0) }

    /// The times to run now, oldest first.
    public var runs: [Date] { times.filter { $0.decision == .caughtUp }.map(\.fireTime) }

    public static let empty = CatchupPlan(times: [], unlisted: nil, warning: nil)
}

/// Decides what happens to missed fire times under a job's `catchup` policy. Pure: time is passed in.
public enum CatchupPlanner {
    /// Catch-up `all` runs at most this many missed times (the most recent ones).
    public static let allCap = 100
    /// At most this many missed times are listed (and recorded as ticks) one by one; older ones
    /// are summed up in `CatchupPlan.unlisted`, so a long downtime of a frequent job stays cheap.
    public static let recordLimit = 1_000
    /// Fire times counted one by one before the count becomes an estimate (about 10 ms of cron
    /// searches); a minutely job down for a week stays below it.
    public static let countLimit = 100_000

    /// Plans the fire times of `schedule` after `baseline` up to and including `now`.
    ///
    /// - Parameters:
    ///   - baseline: every fire time up to and including it was decided already.
    ///   - paused: a paused job records every missed time as paused and runs none.
    public static func plan(
        schedule: any Schedule, policy: CatchupPolicy, paused: Bool, after baseline: Date, through now: Date
    ) -> CatchupPlan {
        let scan = scanTimes(schedule, after: baseline, through: now)
        let total = scan.count
        guard total > 0 else { return .empty }
        let decide: (Int) -> MissedDecision = { index in
            // `index` counts from the oldest missed time (0) to the newest (total - 1).
            if paused { return .paused }
            switch policy {
            case .none: return .missed
            case .latest: return index == total - 1 ? .caughtUp : .missed
            case .all: return index >= total - allCap ? .caughtUp : .dropped
            }
        }
        let firstListed = total - scan.recent.count
        let times = scan.recent.enumerated().map { MissedTime($0.element, decide(firstListed + $0.offset)) }
        var unlisted: CatchupPlan.Unlisted?
        if firstListed > 0, let first = scan.first, let last = scan.lastUnlisted {
            unlisted = .init(count: firstListed, exact: scan.exact, first: first, last: last, decision: decide(0))
        }
        var warning: String?
        if !paused, policy == .all, total > allCap {
            let dropped = total - allCap
            warning = "catchup all: \(scan.exact ? "" : "about ")\(total) fire times were missed; the latest "
                + "\(allCap) run, \(scan.exact ? "" : "about ")\(dropped) older one\(dropped == 1 ? " was" : "s were") "
                + "dropped (the cap is \(allCap))"
        }
        return CatchupPlan(times: times, unlisted: unlisted, warning: warning)
    }

    private struct Scan {
        var count = 0
        var exact = true
        var first: Date?
        /// The newest fire time that is not in `recent`.
        var lastUnlisted: Date?
        /// The newest `recordLimit` times, oldest first.
        var recent: [Date] = []
    }

    /// Walks the fire times in (`baseline`, `now`], keeping the count and the newest ones.
    private static func scanTimes(_ schedule: any Schedule, after baseline: Date, through now: Date) -> Scan {
        var scan = Scan()
        var ring = RecentTimes(capacity: recordLimit)
        var cursor = baseline
        var walked = 0
        while let time = schedule.next(after: cursor), time <= now {
            if scan.first == nil { scan.first = time }
            scan.count += 1
            walked += 1
            if let evicted = ring.append(time) { scan.lastUnlisted = evicted }
            cursor = time
            if walked == countLimit {
                // Too many to count one by one: estimate the middle from the average gap so far and
                // walk only the stretch before `now` that holds about `recordLimit` times.
                let span = time.timeIntervalSince(scan.first!)
                let gap = max(span / Double(countLimit - 1), 1)
                let skipTo = now.addingTimeInterval(-gap * Double(recordLimit + 1))
                if skipTo > cursor {
                    scan.count += Int(skipTo.timeIntervalSince(cursor) / gap)
                    scan.exact = false
                    scan.lastUnlisted = time
                    ring = RecentTimes(capacity: recordLimit)
                    cursor = skipTo
                }
            }
        }
        scan.recent = ring.ordered
        return scan
    }
}

/// The newest `capacity` dates appended, in a ring so appending never shifts the array.
private struct RecentTimes {
    private var storage: [Date] = []
    private var start = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Appends `date`; returns the oldest date if it had to make room.
    mutating func append(_ date: Date) -> Date? {
        if storage.count < capacity {
            storage.append(date)
            return nil
        }
        let evicted = storage[start]
        storage[start] = date
        start = (start + 1) % capacity
        return evicted
    }

    var ordered: [Date] { Array(storage[start...] + storage[..<start]) }
}
