import Foundation

/// A backfill as the `backfills` table keeps it (`gnomon backfill JOB --from --to`).
public struct BackfillRecord: Sendable, Hashable {
    public var id: Int64
    public var job: String
    /// The range as given: `--from` and `--to` days, `YYYY-MM-DD` in the schedule's time zone.
    public var from: String
    public var to: String
    public var options: BackfillOptions
    /// The fire times planned when the backfill was created, oldest first: a resumed backfill
    /// works through these, not through a new plan.
    public var times: [Date]
    public var createdAt: Date
    public var state: BackfillState
}

/// The options a backfill was created with (the `options` JSON column).
public struct BackfillOptions: Sendable, Hashable, Codable {
    /// Only these tasks of each run; empty for every task.
    public var tasks: [String]
    /// At most this many of its runs at once.
    public var maxActive: Int
    /// Whether fire times with a succeeded run were planned too.
    public var rerunSucceeded: Bool

    public init(tasks: [String], maxActive: Int, rerunSucceeded: Bool) {
        self.tasks = tasks
        self.maxActive = maxActive
        self.rerunSucceeded = rerunSucceeded
    }

    /// Whether a new command with `other` continues this backfill: the same tasks and the same
    /// choice about succeeded times (`maxActive` may change between sittings).
    public func continues(with other: BackfillOptions) -> Bool {
        Set(tasks) == Set(other.tasks) && rerunSucceeded == other.rerunSucceeded
    }

    enum CodingKeys: String, CodingKey {
        case tasks
        case maxActive = "max_active"
        case rerunSucceeded = "rerun_succeeded"
    }
}

/// Where a backfill stands (stable strings in the store).
public enum BackfillState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Created; not every fire time has a finished run yet.
    case running
    /// Every fire time's run succeeded.
    case succeeded
    /// Every fire time's run finished, and at least one did not succeed.
    case failed
}
