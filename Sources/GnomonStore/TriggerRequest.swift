import Foundation

/// A manual run asked for by the CLI or the API and started by the daemon, or (`retryOf`) a
/// failed or cancelled run the daemon is asked to retry.
///
/// Life: added (`claimedAt` nil), claimed by the daemon, then given a run (`runID`; for a retry
/// the retried run itself) or refused (`reason`, e.g. the job does not exist).
public struct TriggerRequest: Sendable, Hashable {
    public var id: Int64
    public var job: String
    public var params: [String: String]
    public var requestedAt: Date
    public var claimedAt: Date?
    public var runID: Int64?
    /// Why the daemon refused the request, if it did.
    public var reason: String?
    /// The tasks to run, their dependencies ignored; empty for every task.
    public var tasks: [String]
    /// The run to retry; nil for a new run.
    public var retryOf: Int64?

    public init(
        id: Int64, job: String, params: [String: String], requestedAt: Date,
        claimedAt: Date? = nil, runID: Int64? = nil, reason: String? = nil, tasks: [String] = [],
        retryOf: Int64? = nil
    ) {
        self.tasks = tasks
        self.retryOf = retryOf
        self.id = id
        self.job = job
        self.params = params
        self.requestedAt = requestedAt
        self.claimedAt = claimedAt
        self.runID = runID
        self.reason = reason
    }
}

extension TriggerRequest: Codable {
    enum CodingKeys: String, CodingKey {
        case id, job, params, reason, tasks
        case requestedAt = "requested_at", claimedAt = "claimed_at", runID = "run_id", retryOf = "retry_of"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(job, forKey: .job)
        try container.encode(params, forKey: .params)
        try container.encodeISODate(requestedAt, forKey: .requestedAt)
        try container.encodeISODate(claimedAt, forKey: .claimedAt)
        try container.encode(runID, forKey: .runID)
        try container.encode(reason, forKey: .reason)
        try container.encode(tasks, forKey: .tasks)
        try container.encodeIfPresent(retryOf, forKey: .retryOf)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        job = try container.decode(String.self, forKey: .job)
        params = try container.decode([String: String].self, forKey: .params)
        requestedAt = try container.decodeISODate(forKey: .requestedAt)
        claimedAt = try container.decodeISODateIfPresent(forKey: .claimedAt)
        runID = try container.decodeIfPresent(Int64.self, forKey: .runID)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        tasks = try container.decodeIfPresent([String].self, forKey: .tasks) ?? []
        retryOf = try container.decodeIfPresent(Int64.self, forKey: .retryOf)
    }
}
