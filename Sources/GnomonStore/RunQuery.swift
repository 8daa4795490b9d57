import Foundation
import GnomonCore

/// Which runs `GnomonStore.runs` lists, newest first.
public struct RunQuery: Sendable, Hashable {
    /// Only this job's runs; nil for every job.
    public var job: String?
    /// Only runs in one of these statuses; nil for any status.
    public var statuses: Set<RunStatus>?
    /// Only runs created at or after this time.
    public var since: Date?
    /// Only runs created before this time.
    public var until: Date?
    /// Only runs with one of these triggers; nil for any trigger.
    public var triggers: Set<RunTrigger>?
    /// Runs created before this run id (for paging: pass the last id of the previous page).
    public var beforeID: Int64?
    /// At most this many runs.
    public var limit: Int

    public init(
        job: String? = nil, statuses: Set<RunStatus>? = nil, since: Date? = nil, until: Date? = nil,
        triggers: Set<RunTrigger>? = nil, beforeID: Int64? = nil, limit: Int = 20
    ) {
        self.until = until
        self.triggers = triggers
        self.job = job
        self.statuses = statuses
        self.since = since
        self.beforeID = beforeID
        self.limit = limit
    }
}
