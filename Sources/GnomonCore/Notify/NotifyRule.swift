/// One alerting rule: which events of a job go to which channels, after how many failures, and
/// whether to remind while the job keeps failing.
public struct NotifyRule: Sendable, Hashable, Codable {
    /// Channel names from the settings file; never empty.
    public var to: [String]
    /// The events that alert; never empty.
    public var on: Set<NotifyCondition>
    /// A failure alerts only once the job has failed this many runs in a row; at least 1.
    public var afterConsecutiveFailures: Int
    /// Whether a job still failing alerts again.
    public var `repeat`: RepeatPolicy

    public init(to: [String], on: Set<NotifyCondition>, afterConsecutiveFailures: Int = 1,
                repeat: RepeatPolicy = .never) {
        self.to = to
        self.on = on
        self.afterConsecutiveFailures = afterConsecutiveFailures
        self.repeat = `repeat`
    }

    /// `on` in the order of `NotifyCondition.allCases`.
    public var conditions: [NotifyCondition] {
        NotifyCondition.allCases.filter(on.contains)
    }

    private enum CodingKeys: String, CodingKey {
        case to, on, afterConsecutiveFailures, `repeat`
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        to = try container.decode([String].self, forKey: .to)
        on = Set(try container.decode([NotifyCondition].self, forKey: .on))
        afterConsecutiveFailures = try container.decodeIfPresent(Int.self, forKey: .afterConsecutiveFailures) ?? 1
        self.repeat = try container.decodeIfPresent(RepeatPolicy.self, forKey: .repeat) ?? .never
    }

    /// Writes `on` in a fixed order, so equal rules always give the same text (a run's snapshot
    /// holds its job's rules).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(to, forKey: .to)
        try container.encode(conditions, forKey: .on)
        try container.encode(afterConsecutiveFailures, forKey: .afterConsecutiveFailures)
        try container.encode(self.repeat, forKey: .repeat)
    }
}

/// What can alert. The raw values are what files and the store write; never rename one.
public enum NotifyCondition: String, Sendable, Hashable, Codable, CaseIterable {
    /// A run failed.
    case failure
    /// A run succeeded.
    case success
    /// The first success after a failure that was notified.
    case recovery
    /// A task's attempt failed and a retry is scheduled.
    case retry
    /// A run or a task was stopped at its deadline.
    case timeout
    /// A fire time was skipped (a run still going, the job paused).
    case skipped
    /// A fire time was missed while the daemon was down.
    case missed
    /// A run had not started `late_after` after its scheduled time.
    case late
    /// The job's file became invalid.
    case invalid
    /// Free space in the home fell below `min_free_space`: new attempts wait (once per episode).
    case diskLow = "disk_low"
    /// Free space returned after `disk_low`: the waiting attempts start.
    case diskOk = "disk_ok"
}

/// Whether a job that keeps failing alerts again after its first alert.
public enum RepeatPolicy: Sendable, Hashable, Codable {
    /// One alert until the job recovers (the default).
    case never
    /// Every failed run alerts.
    case everyFailure
    /// A reminder each time this long has passed while the job is still failing.
    case every(Duration)

    /// The word the file writes for the first two; `every` is written as its duration.
    public static let neverText = "never"
    public static let everyFailureText = "every_failure"

    private enum CodingKeys: String, CodingKey {
        case every
    }

    // Coded as "never", "every_failure" or {"every": duration}.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            switch text {
            case Self.neverText: self = .never
            case Self.everyFailureText: self = .everyFailure
            default:
                throw DecodingError.dataCorruptedError(
                    in: single, debugDescription: "expected \"never\", \"every_failure\" or {\"every\": duration}")
            }
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self = .every(try container.decode(Duration.self, forKey: .every))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .never:
            var single = encoder.singleValueContainer()
            try single.encode(Self.neverText)
        case .everyFailure:
            var single = encoder.singleValueContainer()
            try single.encode(Self.everyFailureText)
        case .every(let interval):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(interval, forKey: .every)
        }
    }
}
