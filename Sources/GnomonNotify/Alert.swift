import Foundation
import GnomonCore

/// One alert: what a channel delivers about one event, and the JSON body a webhook receives.
///
/// The JSON keys are snake_case, every optional field is written as `null` when absent, and
/// dates are ISO 8601 in UTC (``ISOTime``). Receivers dedupe by ``eventID``: a delivery may be
/// repeated (at least once), never changed.
public struct Alert: Codable, Sendable, Hashable {
    /// The version of this body's shape, written as `schema`.
    public static let schemaVersion = "gnomon.alert/1"

    /// What happened, as `type` names it.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case failure, success, recovery, retry, timeout, skipped, missed, late, invalid, test
        case diskLow = "disk_low", diskOk = "disk_ok"
    }

    /// A task of the run that failed, with the end of its log.
    public struct FailedTask: Codable, Sendable, Hashable {
        /// The most lines of a log that ``logTail`` keeps.
        public static let tailLines = 20
        /// The most bytes of a log that ``logTail`` keeps (4 KiB: a chat message, a mail body).
        public static let tailBytes = 4096

        public var task: String
        /// The exit status; nil when the task did not exit by itself (killed, timed out, never started).
        public var exitCode: Int32?
        /// Why it failed, in words: `exit 3`, `timed out after 10m`, `could not start: ...`.
        public var reason: String
        /// The last lines of its log, at most ``tailLines`` lines and ``tailBytes`` bytes.
        public var logTail: String

        /// Keeps only the end of `logTail` (see ``tail(of:)``).
        public init(task: String, exitCode: Int32?, reason: String, logTail: String) {
            self.task = task
            self.exitCode = exitCode
            self.reason = reason
            self.logTail = Self.tail(of: logTail)
        }

        /// The last ``tailLines`` lines of `log`, then its last ``tailBytes`` bytes (cut at a
        /// character boundary); a final newline does not count as a line.
        public static func tail(of log: String) -> String {
            var lines = log.split(separator: "\n", omittingEmptySubsequences: false)
            if lines.last == "" { lines.removeLast() }
            var text = lines.suffix(tailLines).joined(separator: "\n")
            if text.utf8.count > tailBytes {
                // Cut at a character boundary: drop the continuation bytes the cut left at the start.
                let bytes = text.utf8.suffix(tailBytes).drop { $0 & 0xC0 == 0x80 }
                text = String(decoding: bytes, as: UTF8.self)
            }
            return text
        }

        enum CodingKeys: String, CodingKey {
            case task, exitCode = "exit_code", reason, logTail = "log_tail"
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(task, forKey: .task)
            try container.encode(exitCode, forKey: .exitCode)
            try container.encode(reason, forKey: .reason)
            try container.encode(logTail, forKey: .logTail)
        }
    }

    public var schema: String
    /// The id of the event in the durable event record; the same on every repeated delivery.
    public var eventID: Int64
    public var type: Kind
    public var job: String
    public var runID: Int64?
    /// The run's state as the store names it (`failed`, `succeeded`, ...).
    public var status: String?
    /// The state of the job's previous run, when there is one.
    public var previousStatus: String?
    /// Failed runs in a row, this one included.
    public var consecutiveFailures: Int?
    /// What started the run (`schedule`, `manual`, `retry`, ...).
    public var trigger: String?
    public var scheduledAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var durationSeconds: Double?
    public var failedTasks: [FailedTask]
    /// The run's page, when a public URL is configured.
    public var url: String?
    /// One line for chat tools: `nightly-etl failed (run 812): task load exit 3`.
    public var text: String

    public init(
        schema: String = Alert.schemaVersion, eventID: Int64, type: Kind, job: String, runID: Int64? = nil,
        status: String? = nil, previousStatus: String? = nil, consecutiveFailures: Int? = nil,
        trigger: String? = nil, scheduledAt: Date? = nil, startedAt: Date? = nil, finishedAt: Date? = nil,
        durationSeconds: Double? = nil, failedTasks: [FailedTask] = [], url: String? = nil, text: String
    ) {
        self.schema = schema
        self.eventID = eventID
        self.type = type
        self.job = job
        self.runID = runID
        self.status = status
        self.previousStatus = previousStatus
        self.consecutiveFailures = consecutiveFailures
        self.trigger = trigger
        self.scheduledAt = scheduledAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationSeconds = durationSeconds
        self.failedTasks = failedTasks
        self.url = url
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case schema, eventID = "event_id", type, job, runID = "run_id", status
        case previousStatus = "previous_status", consecutiveFailures = "consecutive_failures", trigger
        case scheduledAt = "scheduled_at", startedAt = "started_at", finishedAt = "finished_at"
        case durationSeconds = "duration_seconds", failedTasks = "failed_tasks", url, text
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func date(_ key: CodingKeys) throws -> Date? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let date = ISOTime.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: container, debugDescription: "\(key.rawValue) \"\(text)\" is not an ISO 8601 time")
            }
            return date
        }
        schema = try container.decode(String.self, forKey: .schema)
        eventID = try container.decode(Int64.self, forKey: .eventID)
        type = try container.decode(Kind.self, forKey: .type)
        job = try container.decode(String.self, forKey: .job)
        runID = try container.decodeIfPresent(Int64.self, forKey: .runID)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        previousStatus = try container.decodeIfPresent(String.self, forKey: .previousStatus)
        consecutiveFailures = try container.decodeIfPresent(Int.self, forKey: .consecutiveFailures)
        trigger = try container.decodeIfPresent(String.self, forKey: .trigger)
        scheduledAt = try date(.scheduledAt)
        startedAt = try date(.startedAt)
        finishedAt = try date(.finishedAt)
        durationSeconds = try container.decodeIfPresent(Double.self, forKey: .durationSeconds)
        failedTasks = try container.decodeIfPresent([FailedTask].self, forKey: .failedTasks) ?? []
        url = try container.decodeIfPresent(String.self, forKey: .url)
        text = try container.decode(String.self, forKey: .text)
    }

    /// Writes every key, absent optionals as `null` (a synthesized encoder would leave them out).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(eventID, forKey: .eventID)
        try container.encode(type, forKey: .type)
        try container.encode(job, forKey: .job)
        try container.encode(runID, forKey: .runID)
        try container.encode(status, forKey: .status)
        try container.encode(previousStatus, forKey: .previousStatus)
        try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
        try container.encode(trigger, forKey: .trigger)
        try container.encode(scheduledAt.map(ISOTime.utc), forKey: .scheduledAt)
        try container.encode(startedAt.map(ISOTime.utc), forKey: .startedAt)
        try container.encode(finishedAt.map(ISOTime.utc), forKey: .finishedAt)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(failedTasks, forKey: .failedTasks)
        try container.encode(url, forKey: .url)
        try container.encode(text, forKey: .text)
    }
}
