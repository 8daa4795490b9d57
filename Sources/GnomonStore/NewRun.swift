import Foundation
import GnomonCore

/// A run about to be created: what `GnomonStore.createRun` inserts, with all its tasks.
public struct NewRun: Sendable, Hashable {
    public var job: String
    public var trigger: RunTrigger
    /// The intended fire time; for a manual run, the time it was asked for.
    public var scheduledAt: Date
    public var createdAt: Date
    /// The status the run starts in: `queued` unless the runner starts it at once.
    public var status: RunStatus
    public var params: [String: String]
    /// The job definition the run was started with.
    public var snapshot: JobSpec
    public var runnerPID: Int32
    /// A UUID per runner process, so recovery can tell its own runs from a dead runner's.
    public var runnerInstance: String
    /// Every task of the run with its first status; stored in the snapshot's task order.
    public var tasks: [NewTask]
    /// The claimed trigger request this run answers; attached in the same transaction, so a crash
    /// never leaves a request with a run it does not know of.
    public var triggerRequestID: Int64?
    /// `snapshot` encoded ahead (used only if it is of that same job), so that a caller can
    /// encode it while it does other work; `nil` to have `createRun` encode it.
    public var encodedSnapshot: JobSnapshot?
    /// The backfill that creates this run (trigger `backfill`); one backfill has at most one run
    /// per scheduled time (a UNIQUE index).
    public var backfillID: Int64?

    public init(
        job: String,
        trigger: RunTrigger,
        scheduledAt: Date,
        createdAt: Date,
        status: RunStatus = .queued,
        params: [String: String] = [:],
        snapshot: JobSpec,
        runnerPID: Int32,
        runnerInstance: String,
        tasks: [NewTask],
        triggerRequestID: Int64? = nil,
        encodedSnapshot: JobSnapshot? = nil,
        backfillID: Int64? = nil
    ) {
        self.job = job
        self.trigger = trigger
        self.scheduledAt = scheduledAt
        self.createdAt = createdAt
        self.status = status
        self.params = params
        self.snapshot = snapshot
        self.runnerPID = runnerPID
        self.runnerInstance = runnerInstance
        self.tasks = tasks
        self.triggerRequestID = triggerRequestID
        self.encodedSnapshot = encodedSnapshot
        self.backfillID = backfillID
    }
}

/// One task of a new run and the status it starts in: `waiting`; or, for a run started as it is
/// created, `ready` or `skipped` when left out.
public struct NewTask: Sendable, Hashable {
    public var name: String
    public var status: TaskStatus
    public var reason: String?

    public init(name: String, status: TaskStatus = .waiting, reason: String? = nil) {
        self.name = name
        self.status = status
        self.reason = reason
    }
}

/// A job's snapshot as the JSON text a run stores: a few milliseconds of work for a job of a
/// thousand tasks, which a caller may do on another thread (see `NewRun.encodedSnapshot`).
public struct JobSnapshot: Sendable, Hashable {
    public let job: JobSpec
    let text: String

    /// The snapshot, or `nil` if the job cannot be encoded (`createRun` then reports why).
    public init?(encoding job: JobSpec) {
        guard let text = try? Self.text(of: job) else { return nil }
        self.job = job
        self.text = text
    }

    /// The stored JSON text of a job: the one place that decides it, for `createRun` too.
    static func text(of job: JobSpec) throws -> String {
        try JSONText.encode(job)
    }
}
