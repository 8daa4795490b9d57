/// One task of a job: what it runs, what it waits for, and how it is retried and limited.
public struct TaskSpec: Sendable, Hashable, Codable {
    public var name: String
    public var action: TaskAction
    /// Upstream tasks that must have succeeded.
    public var dependsOn: [String]
    /// Upstream tasks that must have finished, whatever their outcome.
    public var after: [String]
    public var retry: RetryPolicy
    /// Deadline for one attempt.
    public var timeout: Duration?
    /// Extra environment, merged over the daemon's (job defaults first, then the task's own).
    public var env: [String: String]
    /// Working directory, relative to the job file's folder (or absolute).
    public var workdir: String?
    /// How large each attempt's log may grow; `nil` means ``LogLimit/standard``.
    public var logLimit: LogLimit?

    /// The list a fan-out task runs one instance for each item of; `nil` for any other task.
    public var foreach: ForeachSource?
    /// At most this many instances of a foreach task at once; `nil` for no limit of its own.
    public var concurrency: Int?
    /// The most items the foreach list may have; `nil` means ``ForeachSource/defaultLimit``.
    public var foreachLimit: Int?

    /// The most items this task's foreach list may have.
    public var effectiveForeachLimit: Int { foreachLimit ?? ForeachSource.defaultLimit }

    /// The log limit that applies: the task's own or the standard one.
    public var effectiveLogLimit: LogLimit { logLimit ?? .standard }

    public init(
        name: String,
        action: TaskAction,
        dependsOn: [String] = [],
        after: [String] = [],
        retry: RetryPolicy = RetryPolicy(),
        timeout: Duration? = nil,
        env: [String: String] = [:],
        workdir: String? = nil,
        logLimit: LogLimit? = nil,
        foreach: ForeachSource? = nil,
        concurrency: Int? = nil,
        foreachLimit: Int? = nil
    ) {
        self.name = name
        self.action = action
        self.dependsOn = dependsOn
        self.after = after
        self.retry = retry
        self.timeout = timeout
        self.env = env
        self.workdir = workdir
        self.logLimit = logLimit
        self.foreach = foreach
        self.concurrency = concurrency
        self.foreachLimit = foreachLimit
    }

    /// Every upstream task, required ones first, each once.
    public var upstream: [String] {
        var seen = Set<String>()
        return (dependsOn + after).filter { seen.insert($0).inserted }
    }
}

/// What a task runs: exactly one of a shell line, an argv, a container, or a Slurm batch job.
public enum TaskAction: Sendable, Hashable, Codable {
    /// A shell line, run by `/bin/sh -c`.
    case shell(String)
    /// An argv, executed directly with a PATH lookup and no shell.
    case command([String])
    /// A container launch through podman or docker.
    case container(ContainerSpec)
    /// A batch job on a Slurm cluster (`run` or `command` with `slurm:`).
    case slurm(SlurmSpec)
}

/// A container task's launch settings.
public struct ContainerSpec: Sendable, Hashable, Codable {
    public var image: String
    /// Arguments after the image; `nil` runs the image's default command.
    public var command: [String]?
    public var env: [String: String]
    /// `host:container[:options]`, the host side relative to the job file's folder.
    public var mounts: [String]
    public var workdir: String?
    public var user: String?
    public var cpus: Double?
    /// Memory limit as the runtime takes it, for example `512m`.
    public var memory: String?
    /// `none` (the default), `host`, or a named network.
    public var network: String
    public var pull: PullPolicy

    public init(
        image: String,
        command: [String]? = nil,
        env: [String: String] = [:],
        mounts: [String] = [],
        workdir: String? = nil,
        user: String? = nil,
        cpus: Double? = nil,
        memory: String? = nil,
        network: String = "none",
        pull: PullPolicy = .missing
    ) {
        self.image = image
        self.command = command
        self.env = env
        self.mounts = mounts
        self.workdir = workdir
        self.user = user
        self.cpus = cpus
        self.memory = memory
        self.network = network
        self.pull = pull
    }
}

/// When a container image is pulled before a launch.
public enum PullPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case missing, always, never
}
