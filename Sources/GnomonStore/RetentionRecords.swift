import Foundation
import GnomonCore

/// A page of one job's oldest runs that may be outside its retention policy, oldest first.
public struct RetentionWindow: Sendable, Hashable {
    /// The runs, oldest first; empty when no run of the job after the asked id can be outside it.
    public var runs: [RetainedRun]
    /// How many runs of the job are newer than every run in `runs`, counted up to the `runs` of
    /// the policy asked about (more means the same to it).
    public var newerRuns: Int
}

/// What one deletion of runs removed.
public struct PrunedRuns: Sendable, Hashable {
    /// The runs deleted (a run that was no longer finished, or had an alert queued, is left).
    public var runs: [Int64] = []
    /// Their attempts.
    public var attempts = 0
    /// Their ticks.
    public var ticks = 0
    /// Their alerts (delivered or given up).
    public var deliveries = 0
    /// The log files their attempts wrote, to delete now that nothing points at them.
    public var logPaths: [String] = []
}

/// What is left of a run that retention removed: only that it existed and when pruning last ran.
public struct PrunedRunNote: Sendable, Hashable {
    /// How many runs have been pruned from this database.
    public var runsPruned: Int
    /// When pruning last removed something.
    public var lastPrunedAt: Date?
}

/// How big the database is and how much of it is free.
public struct StorageFigures: Sendable, Hashable {
    public var pageSize: Int
    public var pages: Int
    /// Pages in the file that hold nothing (reused by new rows, or given back by a vacuum).
    public var freePages: Int
    /// Whether free pages can be given back a few at a time (`auto_vacuum = INCREMENTAL`).
    public var incrementalVacuum: Bool

    public var bytes: Int64 { Int64(pageSize) * Int64(pages) }
    public var freeBytes: Int64 { Int64(pageSize) * Int64(freePages) }
}
