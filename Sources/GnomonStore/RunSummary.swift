import Foundation
import GnomonCore

/// One run as listed by `gnomon runs`: its identity, status and times, without tasks.
public struct RunSummary: Sendable, Hashable {
    public var id: Int64
    public var job: String
    public var trigger: RunTrigger
    public var status: RunStatus
    public var reason: String?
    public var scheduledAt: Date
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// How many of the run's tasks are in each status (statuses with no task are absent).
    public var taskCounts: [TaskStatus: Int]?
    public var runnerPID: Int32
    public var runnerInstance: String
    public var cancelRequestedAt: Date?
    public var cancelReason: String?

    public init(
        id: Int64, job: String, trigger: RunTrigger, status: RunStatus, reason: String?,
        scheduledAt: Date, createdAt: Date, startedAt: Date?, finishedAt: Date?,
        taskCounts: [TaskStatus: Int]?, runnerPID: Int32, runnerInstance: String,
        cancelRequestedAt: Date? = nil, cancelReason: String? = nil
    ) {
        self.id = id
        self.job = job
        self.trigger = trigger
        self.status = status
        self.reason = reason
        self.scheduledAt = scheduledAt
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.taskCounts = taskCounts
        self.runnerPID = runnerPID
        self.runnerInstance = runnerInstance
        self.cancelRequestedAt = cancelRequestedAt
        self.cancelReason = cancelReason
    }
}

extension RunSummary: Codable {
    enum CodingKeys: String, CodingKey {
        case id, job, trigger, status, reason
        case scheduledAt = "scheduled_at", createdAt = "created_at"
        case startedAt = "started_at", finishedAt = "finished_at"
        case taskCounts = "task_counts", runnerPID = "runner_pid", runnerInstance = "runner_instance"
        case cancelRequestedAt = "cancel_requested_at", cancelReason = "cancel_reason"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(job, forKey: .job)
        try container.encode(trigger, forKey: .trigger)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        try container.encodeISODate(scheduledAt, forKey: .scheduledAt)
        try container.encodeISODate(createdAt, forKey: .createdAt)
        try container.encodeISODate(startedAt, forKey: .startedAt)
        try container.encodeISODate(finishedAt, forKey: .finishedAt)
        let counts = taskCounts.map { counts in
            Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
        }
        try container.encode(counts, forKey: .taskCounts)
        try container.encode(runnerPID, forKey: .runnerPID)
        try container.encode(runnerInstance, forKey: .runnerInstance)
        try container.encodeISODate(cancelRequestedAt, forKey: .cancelRequestedAt)
        try container.encode(cancelReason, forKey: .cancelReason)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int64.self, forKey: .id)
        job = try container.decode(String.self, forKey: .job)
        trigger = try container.decode(RunTrigger.self, forKey: .trigger)
        status = try container.decode(RunStatus.self, forKey: .status)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        scheduledAt = try container.decodeISODate(forKey: .scheduledAt)
        createdAt = try container.decodeISODate(forKey: .createdAt)
        startedAt = try container.decodeISODateIfPresent(forKey: .startedAt)
        finishedAt = try container.decodeISODateIfPresent(forKey: .finishedAt)
        if let counts = try container.decodeIfPresent([String: Int].self, forKey: .taskCounts) {
            var decoded: [TaskStatus: Int] = [:]
            for (key, value) in counts {
                guard let status = TaskStatus(rawValue: key) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .taskCounts, in: container, debugDescription: "unknown task status \"\(key)\"")
                }
                decoded[status] = value
            }
            taskCounts = decoded
        } else {
            taskCounts = nil
        }
        runnerPID = try container.decode(Int32.self, forKey: .runnerPID)
        runnerInstance = try container.decode(String.self, forKey: .runnerInstance)
        cancelRequestedAt = try container.decodeISODateIfPresent(forKey: .cancelRequestedAt)
        cancelReason = try container.decodeIfPresent(String.self, forKey: .cancelReason)
    }
}
