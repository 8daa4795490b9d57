import GnomonCore

/// Which attempt a launch is: the job, the run, the task and the attempt's number.
public struct AttemptIdentity: Sendable, Hashable {
    public var job: String
    public var run: Int64
    public var task: String
    /// The attempt's number, from 1.
    public var attempt: Int

    public init(job: String, run: Int64, task: String, attempt: Int) {
        self.job = job
        self.run = run
        self.task = task
        self.attempt = attempt
    }
}

/// Everything needed to start one attempt of a task, whatever executor runs it.
///
/// The engine decides every field (see `LaunchBuilder` in GnomonEngine); an executor adds nothing
/// (no inherited environment, no default working directory, no PATH of its own). The executor is
/// chosen by the kind of ``action`` (see ``ExecutorRouter``).
public struct AttemptLaunch: Sendable, Hashable {
    public var identity: AttemptIdentity
    /// What the task runs: `run:` (`/bin/sh -c LINE`), `command:` (an argv; an `argv[0]` without
    /// a slash is looked up in the `PATH` of ``environment``) or `container:`.
    public var action: TaskAction
    /// The complete, final environment of the attempt (of the process, or inside the container).
    public var environment: [String: String]
    /// The absolute folder the attempt works from: a local process starts in it; the relative
    /// host paths of a container's mounts are taken from it.
    public var workingDirectory: String
    /// The job-file key that chose ``workingDirectory`` (`tasks.NAME.workdir`), named by the
    /// messages about it; `nil` when it is the job file's own folder.
    public var workingDirectoryKey: String?
    /// The absolute path of the attempt's log; created by the executor, never overwritten.
    public var logPath: String
    /// The attempt's deadline, counted from the moment it may start (its gate opened; the
    /// process, or the runtime's first command, is created right then); `nil` for none.
    public var timeout: Duration?
    /// How long the attempt's processes have between SIGTERM and SIGKILL when it is stopped.
    public var killGrace: Duration
    /// How large the attempt's log may grow, and what happens past it.
    public var logLimit: LogLimit
    /// The host path of the attempt's output file (``AttemptFiles/outputPath(logPath:)``), which
    /// ``environment`` names as `GNOMON_OUTPUT`: a container executor creates it and mounts it
    /// at ``AttemptFiles/containerOutputPath``; `nil` for none.
    public var outputPath: String?
    /// The host path of the attempt's inputs file, written by the engine before the launch and
    /// named as `GNOMON_INPUTS`: a container executor mounts it read-only at
    /// ``AttemptFiles/containerInputsPath``; `nil` for none.
    public var inputsPath: String?

    public init(
        identity: AttemptIdentity,
        action: TaskAction,
        environment: [String: String],
        workingDirectory: String,
        workingDirectoryKey: String? = nil,
        logPath: String,
        timeout: Duration? = nil,
        killGrace: Duration = .seconds(10),
        logLimit: LogLimit = .standard,
        outputPath: String? = nil,
        inputsPath: String? = nil
    ) {
        self.identity = identity
        self.action = action
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.workingDirectoryKey = workingDirectoryKey
        self.logPath = logPath
        self.timeout = timeout
        self.killGrace = killGrace
        self.logLimit = logLimit
        self.outputPath = outputPath
        self.inputsPath = inputsPath
    }
}

/// The process an attempt runs as, reported once it exists.
public struct StartedProcess: Sendable, Hashable {
    public var pid: Int32
    /// The attempt's process group; equal to `pid` because each attempt leads a process group of its own.
    public var pgid: Int32
    /// What finds the attempt again after a crash of Gnomon (a container's name), for the
    /// executors that can re-attach; `nil` for a local process, which dies with its runner's
    /// recovery.
    public var reference: AttemptReference?

    public init(pid: Int32, pgid: Int32, reference: AttemptReference? = nil) {
        self.pid = pid
        self.pgid = pgid
        self.reference = reference
    }
}
