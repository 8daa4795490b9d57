import Foundation
import GnomonCore

/// One attempt of one task: when and where it ran and how it ended (`outcome` is nil while it runs).
public struct AttemptRecord: Sendable, Hashable {
    /// 1 for the first attempt, 2 for the first retry, and so on.
    public var number: Int
    public var task: String
    public var startedAt: Date
    public var endedAt: Date?
    public var pid: Int32?
    public var pgid: Int32?
    public var containerName: String?
    public var logPath: String
    public var outcome: AttemptOutcome?
    /// The runner process that started the attempt.
    public var runnerInstance: String
    /// What the attempt wrote to `GNOMON_OUTPUT`, once it succeeded (empty when it wrote none);
    /// `nil` for an attempt that did not succeed (it publishes nothing), or one still running.
    public var outputs: [String: String]?
    /// The Slurm job the attempt ran as; nil for an attempt that did not run on Slurm.
    public var slurm: SlurmJobRecord?

    public init(
        number: Int, task: String, startedAt: Date, endedAt: Date?, pid: Int32?, pgid: Int32?,
        containerName: String?, logPath: String, outcome: AttemptOutcome?, runnerInstance: String,
        outputs: [String: String]? = nil,
        slurm: SlurmJobRecord? = nil
    ) {
        self.number = number
        self.task = task
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.pid = pid
        self.pgid = pgid
        self.containerName = containerName
        self.logPath = logPath
        self.outcome = outcome
        self.runnerInstance = runnerInstance
        self.outputs = outputs
        self.slurm = slurm
    }
}

/// In JSON and in the database an outcome is flattened to `outcome` (its kind) plus `exit_code`,
/// `signal` and `reason`, each null unless that kind carries it.
extension AttemptRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case number, task, pid, pgid, outcome, signal, reason
        case startedAt = "started_at", endedAt = "ended_at", containerName = "container_name"
        case logPath = "log_path", exitCode = "exit_code", runnerInstance = "runner_instance", outputs, slurm
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(task, forKey: .task)
        try container.encodeISODate(startedAt, forKey: .startedAt)
        try container.encodeISODate(endedAt, forKey: .endedAt)
        try container.encode(pid, forKey: .pid)
        try container.encode(pgid, forKey: .pgid)
        try container.encode(containerName, forKey: .containerName)
        try container.encode(logPath, forKey: .logPath)
        let columns = outcome.map(OutcomeColumns.init)
        try container.encode(columns?.kind, forKey: .outcome)
        try container.encode(columns?.exitCode, forKey: .exitCode)
        try container.encode(columns?.signal, forKey: .signal)
        try container.encode(columns?.reason, forKey: .reason)
        try container.encode(runnerInstance, forKey: .runnerInstance)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(slurm, forKey: .slurm)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        number = try container.decode(Int.self, forKey: .number)
        task = try container.decode(String.self, forKey: .task)
        startedAt = try container.decodeISODate(forKey: .startedAt)
        endedAt = try container.decodeISODateIfPresent(forKey: .endedAt)
        pid = try container.decodeIfPresent(Int32.self, forKey: .pid)
        pgid = try container.decodeIfPresent(Int32.self, forKey: .pgid)
        containerName = try container.decodeIfPresent(String.self, forKey: .containerName)
        logPath = try container.decode(String.self, forKey: .logPath)
        if let kind = try container.decodeIfPresent(String.self, forKey: .outcome) {
            let columns = OutcomeColumns(
                kind: kind,
                exitCode: try container.decodeIfPresent(Int32.self, forKey: .exitCode),
                signal: try container.decodeIfPresent(Int32.self, forKey: .signal),
                reason: try container.decodeIfPresent(String.self, forKey: .reason))
            guard let decoded = columns.outcome else {
                throw DecodingError.dataCorruptedError(
                    forKey: .outcome, in: container,
                    debugDescription: "outcome \"\(kind)\" is unknown or lacks its exit_code, signal or reason")
            }
            outcome = decoded
        } else {
            outcome = nil
        }
        runnerInstance = try container.decode(String.self, forKey: .runnerInstance)
        outputs = try container.decodeIfPresent([String: String].self, forKey: .outputs)
        slurm = try container.decodeIfPresent(SlurmJobRecord.self, forKey: .slurm)
    }
}

/// An `AttemptOutcome` as the columns it is stored in.
struct OutcomeColumns: Equatable {
    var kind: String
    var exitCode: Int32?
    var signal: Int32?
    var reason: String?

    init(kind: String, exitCode: Int32?, signal: Int32?, reason: String?) {
        self.kind = kind
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
    }

    init(_ outcome: AttemptOutcome) {
        kind = outcome.kind
        switch outcome {
        case .exited(let code): exitCode = code
        case .signalled(let number): signal = number
        case .couldNotStart(let text), .outputRefused(let text): reason = text
        case .timedOut, .cancelled, .lost, .interrupted, .outOfMemory: break
        }
    }

    /// The outcome these columns describe; nil for an unknown kind or a missing value.
    var outcome: AttemptOutcome? {
        switch kind {
        case "exited": return exitCode.map { .exited(code: $0) }
        case "signalled": return signal.map { .signalled(signal: $0) }
        case "timed_out": return .timedOut
        case "cancelled": return .cancelled
        case "could_not_start": return reason.map { .couldNotStart(reason: $0) }
        case "lost": return .lost
        case "interrupted": return .interrupted
        case "out_of_memory": return .outOfMemory
        case "output_refused": return reason.map { .outputRefused(reason: $0) }
        default: return nil
        }
    }
}
