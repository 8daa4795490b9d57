import Foundation

/// One entry of the durable event record: a change that matters, appended in the same
/// transaction as the change itself, with an id that only grows (never reused, even after the
/// oldest entries are pruned). Notifications, metrics and live views read the record from an id
/// they remember; no event exists only in memory.
public struct StoredEvent: Sendable, Hashable, Codable {
    public var id: Int64
    public var at: Date
    public var type: EventType
    public var job: String
    public var runID: Int64?
    public var task: String?
    public var attempt: Int?
    /// The new state: a run's or task's status, an attempt's outcome kind, a fire time's decision,
    /// `valid` or `invalid` for a job file.
    public var status: String?
    /// Why, in words: a run's or task's reason, an attempt's outcome (`exit 3`), a fire time's
    /// detail, a job file's first problem; or the trigger of a new run.
    public var detail: String?

    public init(
        id: Int64, at: Date, type: EventType, job: String, runID: Int64? = nil, task: String? = nil,
        attempt: Int? = nil, status: String? = nil, detail: String? = nil
    ) {
        self.id = id
        self.at = at
        self.type = type
        self.job = job
        self.runID = runID
        self.task = task
        self.attempt = attempt
        self.status = status
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case id, at, type, job, task, attempt, status, detail
        case runID = "run_id"
    }
}

/// What an event records; stored as its raw value, never renamed.
public enum EventType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A run was created (`status`: its first status, `detail`: its trigger).
    case runCreated = "run_created"
    /// A run began running.
    case runStarted = "run_started"
    /// A run ended (`status`: succeeded, failed or cancelled; `detail`: why).
    case runFinished = "run_finished"
    /// A task reached a state worth telling (`status`: waiting, retrying, succeeded, failed,
    /// skipped or cancelled; `ready` and `running` are told by the attempts).
    case taskChanged = "task_changed"
    /// An attempt's process (or container) exists.
    case attemptStarted = "attempt_started"
    /// An attempt ended (`status`: the outcome's kind; `detail`: the outcome, such as `exit 3`).
    case attemptEnded = "attempt_ended"
    /// The daemon decided what to do at a fire time (`status`: the tick's decision).
    case fireTime = "fire_time"
    /// A job file became invalid (`detail`: its first problem).
    case jobInvalid = "job_invalid"
    /// A job file became valid again.
    case jobValid = "job_valid"
    /// No run of the job succeeded within its `expect_success_every` (`detail` says since when).
    case jobSilent = "job_silent"
    /// A fire time's run had not started `late_after` after it (`detail` says which and by when).
    case jobLate = "job_late"
    /// Free space in the home fell below `min_free_space` and attempts began to wait for it
    /// (`task` and `run_id`: the attempt whose wait began it; `detail`: the free space and the
    /// threshold). Told once per wait episode.
    case diskLow = "disk_low"
    /// Free space returned after a `disk_low`, about the same attempt; the waiting attempts start.
    case diskOk = "disk_ok"
}
