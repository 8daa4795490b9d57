import Foundation

/// What the daemon decided for one fire time of one job.
public struct Tick: Sendable, Hashable {
    /// Assigned by the store; nil on a tick not yet recorded.
    public var id: Int64?
    public var job: String
    /// The fire time the schedule produced (not shifted by jitter).
    public var fireTime: Date
    public var decidedAt: Date
    public var decision: TickDecision
    /// The run started (or queued, or caught up) for this fire time, if any.
    public var runID: Int64?
    /// A word of explanation, e.g. `run 41 still running`.
    public var detail: String?

    public init(
        id: Int64? = nil, job: String, fireTime: Date, decidedAt: Date, decision: TickDecision,
        runID: Int64? = nil, detail: String? = nil
    ) {
        self.id = id
        self.job = job
        self.fireTime = fireTime
        self.decidedAt = decidedAt
        self.decision = decision
        self.runID = runID
        self.detail = detail
    }
}

/// The stable names of tick decisions. Persisted: never rename one; adding one needs a migration
/// (the `ticks.decision` CHECK lists them).
public enum TickDecision: String, Sendable, Hashable, Codable, CaseIterable {
    /// A run started at its time.
    case started
    /// A run started late for a time missed while the daemon was down.
    case caughtUp = "caught_up"
    /// Overlap `queue`: a run was still going, this time waits as the one pending run.
    case queued
    /// Overlap `replace`: the running run was cancelled and a new one started.
    case replaced
    /// Overlap `skip`: a run was still going, so this time was skipped.
    case skippedOverlap = "skipped_overlap"
    /// The job was paused.
    case paused
    /// Missed while the daemon was down and not caught up (catch-up `none`, or older than `latest`).
    case missed
    /// Given up: a queued time replaced by a newer one, or beyond the catch-up cap.
    case dropped
    /// A run for this time exists already (found after a restart).
    case duplicate
    /// The run could not be created; `detail` says why.
    case error
}

extension Tick: Codable {
    enum CodingKeys: String, CodingKey {
        case id, job, decision, detail
        case fireTime = "fire_time", decidedAt = "decided_at", runID = "run_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(job, forKey: .job)
        try container.encodeISODate(fireTime, forKey: .fireTime)
        try container.encodeISODate(decidedAt, forKey: .decidedAt)
        try container.encode(decision, forKey: .decision)
        try container.encode(runID, forKey: .runID)
        try container.encode(detail, forKey: .detail)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int64.self, forKey: .id)
        job = try container.decode(String.self, forKey: .job)
        fireTime = try container.decodeISODate(forKey: .fireTime)
        decidedAt = try container.decodeISODate(forKey: .decidedAt)
        decision = try container.decode(TickDecision.self, forKey: .decision)
        runID = try container.decodeIfPresent(Int64.self, forKey: .runID)
        detail = try container.decodeIfPresent(String.self, forKey: .detail)
    }
}
