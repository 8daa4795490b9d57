import Foundation

/// What retention needs to know of one run.
public struct RetainedRun: Sendable, Hashable {
    public var id: Int64
    public var status: RunStatus
    /// When it ended; `nil` while it has not.
    public var finishedAt: Date?
    /// Whether an alert about it is still to be delivered, or its events are still to be read
    /// by the notifier.
    public var alertsPending: Bool

    public init(id: Int64, status: RunStatus, finishedAt: Date?, alertsPending: Bool = false) {
        self.id = id
        self.status = status
        self.finishedAt = finishedAt
        self.alertsPending = alertsPending
    }
}

/// What the retention policy says of one run.
public enum RetentionVerdict: Sendable, Hashable {
    /// Inside the policy.
    case keep
    /// Outside the policy: delete it with everything recorded about it.
    case prune(PruneReason)
    /// Outside the policy but kept for now, for this reason.
    case hold(HoldReason)

    public var isPrune: Bool {
        if case .prune = self { return true }
        return false
    }
}

/// Why a run is outside the policy.
public enum PruneReason: Sendable, Hashable {
    /// More than `runs` newer runs of its job exist.
    case beyondCount(Int)
    /// It ended more than `days` days ago.
    case olderThan(days: Int)
}

/// Why a run outside the policy is kept anyway.
public enum HoldReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// It is queued or running: never pruned.
    case unfinished
    /// An alert about it has not been delivered (or decided) yet.
    case alertsPending = "alerts_pending"
}

/// The retention decisions: which of a job's runs are outside its policy at a given time.
public enum Retention {
    /// The verdict on each of `runs`, all of one job, by id.
    ///
    /// - Parameters:
    ///   - runs: the job's runs, in any order; may be a window of its oldest ones.
    ///   - newerRuns: how many runs of the job, newer than every run in `runs`, are not listed
    ///     (0 when `runs` is the whole history). Anything from `policy.runs` up means the same.
    ///   - now: the time `days` counts back from.
    public static func verdicts(
        _ runs: [RetainedRun], newerRuns: Int = 0, policy: RetentionPolicy, now: Date
    ) -> [Int64: RetentionVerdict] {
        let cutoff = policy.cutoff(now: now)
        var verdicts: [Int64: RetentionVerdict] = [:]
        for (index, run) in runs.sorted(by: { $0.id > $1.id }).enumerated() {
            let newer = newerRuns + index
            let reason: PruneReason?
            if newer >= policy.runs {
                reason = .beyondCount(policy.runs)
            } else if let finished = run.finishedAt, finished < cutoff {
                reason = .olderThan(days: policy.days)
            } else {
                reason = nil
            }
            guard let reason else {
                verdicts[run.id] = .keep
                continue
            }
            if !run.status.isFinished || run.finishedAt == nil {
                verdicts[run.id] = .hold(.unfinished)
            } else if run.alertsPending {
                verdicts[run.id] = .hold(.alertsPending)
            } else {
                verdicts[run.id] = .prune(reason)
            }
        }
        return verdicts
    }
}
