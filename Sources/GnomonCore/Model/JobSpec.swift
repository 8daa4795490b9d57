/// One job: a graph of tasks, an optional schedule and the policies that govern its runs.
///
/// A `JobSpec` is what a job file means once it has been loaded and validated. It is a plain value
/// (Codable, so a run can keep a snapshot of the definition it started with). Its optional
/// properties are coded only when set, so a snapshot written before one existed still decodes.
public struct JobSpec: Sendable, Hashable, Codable {
    /// The job's name: the job file's stem, matching `[a-z0-9][a-z0-9_-]*`.
    public var name: String
    public var description: String?
    /// When the job fires by itself; `nil` means it runs only when asked.
    public var schedule: ScheduleSpec?
    public var overlap: OverlapPolicy
    public var catchup: CatchupPolicy
    /// The initial paused state from the file (`gnomon pause`/`resume` override it at run time).
    public var paused: Bool
    /// Deadline for a whole run.
    public var timeout: Duration?
    /// Most tasks of one run at once; `nil` means no per-run limit.
    public var concurrency: Int?
    /// Tasks in the order the file lists them.
    public var tasks: [TaskSpec]
    /// Absolute folder of the job file; relative `workdir` and mount paths resolve against it.
    public var directory: String
    /// The job's own alerting rules; `nil` means the settings file's defaults apply, an empty
    /// list means no alerts.
    public var notify: [NotifyRule]?
    /// A run that has not started this long after its scheduled time is late; `nil` means the
    /// settings file's default applies.
    public var lateAfter: Duration?
    /// Alert when no run has succeeded for this long, even if nothing ran at all; `nil` means the
    /// settings file's default applies.
    public var expectSuccessEvery: Duration?
    /// How much of the job's history to keep; `nil` (or a key left out) means the settings
    /// file's `keep:`, then the built-in default.
    public var keep: KeepSpec?

    public init(
        name: String,
        description: String? = nil,
        schedule: ScheduleSpec? = nil,
        overlap: OverlapPolicy = .skip,
        catchup: CatchupPolicy = .latest,
        paused: Bool = false,
        timeout: Duration? = nil,
        concurrency: Int? = nil,
        tasks: [TaskSpec],
        directory: String,
        notify: [NotifyRule]? = nil,
        lateAfter: Duration? = nil,
        expectSuccessEvery: Duration? = nil,
        keep: KeepSpec? = nil
    ) {
        self.name = name
        self.description = description
        self.schedule = schedule
        self.overlap = overlap
        self.catchup = catchup
        self.paused = paused
        self.timeout = timeout
        self.concurrency = concurrency
        self.tasks = tasks
        self.directory = directory
        self.notify = notify
        self.lateAfter = lateAfter
        self.expectSuccessEvery = expectSuccessEvery
        self.keep = keep
    }

    /// The task with this name, if any.
    public func task(named name: String) -> TaskSpec? {
        tasks.first { $0.name == name }
    }
}

/// What happens when a run is still going at the job's next fire time.
public enum OverlapPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Record the new fire time as skipped (the default).
    case skip
    /// Keep one pending run that starts when the current one ends.
    case queue
    /// Run side by side.
    case allow
    /// Cancel the running run and start the new one.
    case replace
}

/// What happens to fire times missed while the daemon was down.
public enum CatchupPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Record missed times as skipped and wait for the next.
    case none
    /// Run the most recent missed time once (the default).
    case latest
    /// Run every missed time in order, up to a cap.
    case all
}

/// A job's schedule as written: a cron expression or `@every` interval, a time zone and a jitter;
/// or a continuous schedule (`every` after the previous run's end or start).
public struct ScheduleSpec: Sendable, Hashable, Codable {
    /// The expression as written: five cron fields, a macro such as `@daily`, or `@every 15m`. For
    /// a continuous schedule, its description (`every 10m from end`), never parsed.
    public var expression: String
    /// Set for a continuous schedule, whose fire times follow the job's runs.
    public var continuous: ContinuousSpec?
    /// IANA time-zone name; cron fields are read in this zone.
    public var timeZone: String
    /// A run is delayed by a random amount up to this; its scheduled time stays the intended one.
    public var jitter: Duration?

    public init(expression: String, timeZone: String = "UTC", jitter: Duration? = nil) {
        self.expression = expression
        self.timeZone = timeZone
        self.jitter = jitter
    }

    /// A continuous schedule: `every` after the previous run's end or start.
    public init(continuous: ContinuousSpec, timeZone: String = "UTC", jitter: Duration? = nil) {
        self.expression = continuous.description
        self.continuous = continuous
        self.timeZone = timeZone
        self.jitter = jitter
    }
}
