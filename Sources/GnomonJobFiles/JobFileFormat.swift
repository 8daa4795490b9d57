import GnomonCore

/// The job-file format in one place: the keys each mapping accepts and the bounds on numbers.
///
/// The loader reads its key sets from here, and a test compares them with
/// `Docs/job-file.schema.json`, so the schema cannot drift from what the loader accepts.
public enum JobFileFormat {
    /// The format version this loader reads.
    public static let version = 1

    /// Extensions a job file may have.
    public static let extensions = ["yaml", "yml"]

    /// Keys at the top of a job file.
    public static let jobKeys = [
        "description", "schedule", "overlap", "catchup", "paused", "timeout", "concurrency",
        "defaults", "tasks", "notify", "late_after", "expect_success_every", "keep",
    ]
    /// Keys of `keep` (in a job file and in the settings file).
    public static let keepKeys = ["runs", "days"]
    /// Keys of the long form of `schedule`.
    public static let scheduleKeys = ["cron", "every", "from", "timezone", "jitter"]
    /// The three ways a task says what it runs; a task has exactly one.
    public static let actionKeys = ["run", "command", "container"]
    /// Task keys that `defaults` may also hold.
    public static let defaultsKeys = ["retry", "timeout", "env", "workdir", "log_limit", "log_limit_action", "slurm"]
    /// Keys of `slurm` (on a task or in `defaults`).
    public static let slurmKeys = ["cpus", "memory", "gpus", "gres", "qos", "constraint", "partition", "account", "time", "extra"]
    /// The most CPUs or GPUs one Slurm task may ask for.
    public static let maximumSlurmCount = 100_000
    /// Keys of one task.
    public static let taskKeys = actionKeys + DependencyKind.allCases.map(\.key) + defaultsKeys + foreachKeys
    /// The keys of a fan-out task (see Docs/job-files.md, *Fan-out*).
    public static let foreachKeys = ["foreach", "concurrency", "foreach_limit"]
    /// Keys of the long form of `retry`.
    public static let retryKeys = ["limit", "delay", "backoff", "max_delay", "jitter", "on_exit_codes"]
    /// Keys of a task's `container`.
    public static let containerKeys = [
        "image", "command", "env", "mounts", "workdir", "user", "cpus", "memory", "network", "pull",
    ]

    /// Most retries after the first attempt. A hundred retries already spans days at the default
    /// backoff; more is a mistake, not a policy.
    public static let maximumRetries = 100
    /// Largest retry backoff factor (each delay is at most this many times the previous one).
    public static let maximumBackoff: Double = 100
    /// Largest per-run concurrency; far above what one machine runs at once.
    public static let maximumConcurrency = 1000
    /// Most tasks in one run: the file's tasks, counting each `foreach` instance as one. A
    /// hundred thousand covers per-partition and per-sample pipelines; the whole system (loading,
    /// the run, its records, `show`, the API) is measured at this size by `scripts/bench big`.
    public static let maximumTasksPerRun = RunLimits.maximumTasks
    /// Most CPUs a container may be given.
    public static let maximumCPUs: Double = 1024
    /// Longest job or task name.
    public static let maximumNameLength = 64
}

extension DependencyKind {
    /// The task key that lists dependencies of this kind.
    public var key: String {
        switch self {
        case .required: return "depends_on"
        case .completionOnly: return "after"
        }
    }

    /// The kind a task key lists, or `nil` for a key that lists no dependencies.
    public init?(key: String) {
        guard let kind = Self.allCases.first(where: { $0.key == key }) else { return nil }
        self = kind
    }
}
