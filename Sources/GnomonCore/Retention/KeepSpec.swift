import Foundation

/// How much history to keep, as written: `keep: { runs: N, days: D }` in a job file or in the
/// settings file. A missing key falls back to the settings file's, then to the built-in default
/// (``RetentionPolicy/standard``).
public struct KeepSpec: Sendable, Hashable, Codable {
    /// Keep at most this many of the job's newest runs.
    public var runs: Int?
    /// Keep no run that ended more than this many days ago.
    public var days: Int?

    public init(runs: Int? = nil, days: Int? = nil) {
        self.runs = runs
        self.days = days
    }
}

/// How much of one job's history is kept: a run is outside the policy when more than `runs` of
/// the job's runs are newer than it, or when it ended more than `days` days ago.
public struct RetentionPolicy: Sendable, Hashable, Codable {
    public var runs: Int
    public var days: Int

    public init(runs: Int, days: Int) {
        self.runs = runs
        self.days = days
    }

    /// 1,000 runs and 90 days: a job firing every minute keeps its last 16 hours or so, a daily
    /// job its last three months.
    public static let standard = RetentionPolicy(runs: 1_000, days: 90)

    /// Largest `runs` a keep may say (ten million; the history of an every-second job for four months).
    public static let maximumRuns = 10_000_000
    /// Largest `days` a keep may say (a hundred years).
    public static let maximumDays = 36_500

    /// The policy `spec` gives, each key it leaves out taken from this one.
    public func overridden(by spec: KeepSpec?) -> RetentionPolicy {
        RetentionPolicy(runs: spec?.runs ?? runs, days: spec?.days ?? days)
    }

    /// The instant before which a run that ended is outside the policy, at `now`.
    public func cutoff(now: Date) -> Date {
        now.addingTimeInterval(-Double(days) * 86_400)
    }
}
