import Foundation
import GnomonCore

/// What one pass of the pruner removed, or would remove in a dry run.
public struct PruneReport: Sendable, Hashable, Codable {
    public var dryRun: Bool
    /// Runs removed, with their tasks and attempts.
    public var runs = 0
    public var attempts = 0
    /// Their attempts' log files that existed, and their size.
    public var logFiles = 0
    public var logBytes: Int64 = 0
    /// Ticks, events and alerts removed (with the runs, and those about no run past the
    /// default `days`); not counted in a dry run.
    public var ticks = 0
    public var events = 0
    public var deliveries = 0
    /// Runs outside their policy kept for now: still queued or running, or with alerts not yet
    /// delivered (or not yet decided by the notifier).
    public var heldUnfinished = 0
    public var heldForAlerts = 0
    /// The database file's size (pages in use and free) before and after, and the pages given
    /// back to the file system.
    public var databaseBytesBefore: Int64 = 0
    public var databaseBytesAfter: Int64 = 0
    public var reclaimedBytes: Int64 = 0
    /// Whether the file gives free pages back (incremental vacuum); a file created before
    /// retention existed keeps them for new rows until `gnomon prune --vacuum` rewrites it.
    public var incrementalVacuum = true

    private enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run", runs, attempts, logFiles = "log_files", logBytes = "log_bytes", ticks, events, deliveries
        case heldUnfinished = "held_unfinished", heldForAlerts = "held_for_alerts"
        case databaseBytesBefore = "database_bytes_before", databaseBytesAfter = "database_bytes_after"
        case reclaimedBytes = "reclaimed_bytes", incrementalVacuum = "incremental_vacuum"
    }

    public init(dryRun: Bool) {
        self.dryRun = dryRun
    }

    /// Whether the pass removed (or would remove) anything at all.
    public var removedAnything: Bool {
        runs + ticks + events + deliveries > 0 || reclaimedBytes > 0
    }

    mutating func count(_ verdict: RetentionVerdict) {
        switch verdict {
        case .hold(.unfinished): heldUnfinished += 1
        case .hold(.alertsPending): heldForAlerts += 1
        case .keep, .prune: break
        }
    }
}
