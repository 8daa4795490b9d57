import Foundation

/// What the notifier remembers of one job between its events: the failure streak, which
/// channels were told of it, and when the time-based checks last fired. Persisted with the
/// alerts it leads to, in one transaction.
public struct AlertMemory: Sendable, Hashable, Codable {
    /// Failed runs in a row (a cancelled run neither adds to it nor ends it).
    public var consecutiveFailures: Int
    /// Each channel told of the current failure streak, with when it was last told (a reminder
    /// under `repeat: DURATION` counts from then).
    public var toldOfFailure: [String: Date]
    /// When the job last succeeded, or when watching it began: what `expect_success_every`
    /// counts from.
    public var lastSuccessAt: Date?
    /// When the dead man's switch last fired (it fires once per silent interval).
    public var silenceToldAt: Date?
    /// The fire time that began the current late streak (told once; the streak ends when a fire
    /// time's run starts in time); nil when the job is not late.
    public var lateToldFor: Date?
    /// The latest fire time checked for lateness.
    public var lateCheckedThrough: Date?
    /// The status of the job's latest finished run: an alert's `previous_status` is this, as it
    /// was before the run it tells of.
    public var lastStatus: RunStatus?
    /// The newest event of the job already decided: an event read again (by a daemon after the
    /// foreground runner that notified it, or after a crash) changes nothing twice.
    public var throughEvent: Int64

    public init(
        consecutiveFailures: Int = 0, toldOfFailure: [String: Date] = [:], lastSuccessAt: Date? = nil,
        silenceToldAt: Date? = nil, lateToldFor: Date? = nil, lateCheckedThrough: Date? = nil, throughEvent: Int64 = 0
    ) {
        self.lateCheckedThrough = lateCheckedThrough
        self.throughEvent = throughEvent
        self.consecutiveFailures = consecutiveFailures
        self.toldOfFailure = toldOfFailure
        self.lastSuccessAt = lastSuccessAt
        self.silenceToldAt = silenceToldAt
        self.lateToldFor = lateToldFor
    }
}

/// What happened to a job, as the notifier sees it.
public enum AlertCause: Sendable, Hashable {
    /// A run ended; `timedOut` when the run's or a task's deadline stopped it.
    case runFinished(status: RunStatus, timedOut: Bool)
    /// A task's attempt failed and a retry is scheduled.
    case retryScheduled
    /// A fire time was skipped (a run still going, the job paused).
    case fireTimeSkipped
    /// A fire time was missed while the daemon was down, or dropped.
    case fireTimeMissed
    /// The job's file became invalid.
    case fileInvalid
    /// A run scheduled at this time had not started `late_after` later.
    case late(scheduledAt: Date)
    /// No run succeeded within `expect_success_every`.
    case silent
    /// Attempts began to wait for free space in the home (`low`), or it returned. About the home,
    /// not one job: the notifier asks every rule, the settings file's and each job file's.
    case diskSpace(low: Bool)
}

/// One alert to send: what it tells and to which channels.
public struct PlannedAlert: Sendable, Hashable {
    public var kind: NotifyCondition
    public var channels: [String]

    public init(kind: NotifyCondition, channels: [String]) {
        self.kind = kind
        self.channels = channels
    }
}

extension AlertCause {
    /// Whether it is about the whole home rather than one job: decided under every rule, the
    /// settings file's and each job file's.
    public var isAboutTheHome: Bool {
        if case .diskSpace = self { return true }
        return false
    }
}
