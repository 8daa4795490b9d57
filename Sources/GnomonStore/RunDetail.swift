import Foundation
import GnomonCore

/// One run in full, as `gnomon show` prints it: summary, parameters, job snapshot, tasks, attempts.
///
/// In JSON the summary's keys sit at the top level beside `params`, `snapshot`, `tasks`, `attempts`.
public struct RunDetail: Sendable, Hashable {
    public var summary: RunSummary
    public var params: [String: String]
    /// The job definition the run was started with.
    public var snapshot: JobSpec
    /// Every task of the run, in the snapshot's task order.
    public var tasks: [TaskRecord]
    /// Every attempt, ordered by start time (then the order they were recorded in).
    public var attempts: [AttemptRecord]

    public init(
        summary: RunSummary, params: [String: String], snapshot: JobSpec,
        tasks: [TaskRecord], attempts: [AttemptRecord]
    ) {
        self.summary = summary
        self.params = params
        self.snapshot = snapshot
        self.tasks = tasks
        self.attempts = attempts
    }

    public var id: Int64 { summary.id }

    /// The attempts of one task, oldest first.
    public func attempts(of task: String) -> [AttemptRecord] {
        attempts.filter { $0.task == task }.sorted { $0.number < $1.number }
    }
}

extension RunDetail: Codable {
    enum CodingKeys: String, CodingKey {
        case params, snapshot, tasks, attempts
    }

    public func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(params, forKey: .params)
        try container.encode(snapshot, forKey: .snapshot)
        try container.encode(tasks, forKey: .tasks)
        try container.encode(attempts, forKey: .attempts)
    }

    public init(from decoder: any Decoder) throws {
        summary = try RunSummary(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        params = try container.decode([String: String].self, forKey: .params)
        snapshot = try container.decode(JobSpec.self, forKey: .snapshot)
        tasks = try container.decode([TaskRecord].self, forKey: .tasks)
        attempts = try container.decode([AttemptRecord].self, forKey: .attempts)
    }
}

/// Where one task of a run stands.
public struct TaskRecord: Sendable, Hashable {
    public var name: String
    public var status: TaskStatus
    public var reason: String?
    /// When a `retrying` task may start again.
    public var retryAt: Date?
    /// How many attempts have started.
    public var attempts: Int
    public var updatedAt: Date
    /// For an instance of a foreach task (named `task[index]`): that task, its index and its item.
    public var instanceOf: String?
    public var index: Int?
    public var item: String?

    public init(
        name: String, status: TaskStatus, reason: String?, retryAt: Date?, attempts: Int, updatedAt: Date,
        instanceOf: String? = nil, index: Int? = nil, item: String? = nil
    ) {
        self.instanceOf = instanceOf
        self.index = index
        self.item = item
        self.name = name
        self.status = status
        self.reason = reason
        self.retryAt = retryAt
        self.attempts = attempts
        self.updatedAt = updatedAt
    }
}

extension TaskRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case name, status, reason, attempts
        case retryAt = "retry_at", updatedAt = "updated_at"
        case instanceOf = "instance_of", index, item
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        try container.encodeISODate(retryAt, forKey: .retryAt)
        try container.encode(attempts, forKey: .attempts)
        try container.encodeISODate(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(instanceOf, forKey: .instanceOf)
        try container.encodeIfPresent(index, forKey: .index)
        try container.encodeIfPresent(item, forKey: .item)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        status = try container.decode(TaskStatus.self, forKey: .status)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        retryAt = try container.decodeISODateIfPresent(forKey: .retryAt)
        attempts = try container.decode(Int.self, forKey: .attempts)
        updatedAt = try container.decodeISODate(forKey: .updatedAt)
        instanceOf = try container.decodeIfPresent(String.self, forKey: .instanceOf)
        index = try container.decodeIfPresent(Int.self, forKey: .index)
        item = try container.decodeIfPresent(String.self, forKey: .item)
    }
}
