import GnomonCore

/// Everything needed to start one attempt of a task as a local process.
///
/// The engine decides every field; the executor adds nothing (no inherited environment, no
/// default working directory, no PATH of its own).
public struct AttemptLaunch: Sendable, Hashable {
    /// The program and its arguments: `["/bin/sh", "-c", line]` for `run:`, or the command's argv.
    /// An `argv[0]` without a slash is looked up in the `PATH` of ``environment``.
    public var argv: [String]
    /// The complete, final environment of the child.
    public var environment: [String: String]
    /// The absolute directory the child starts in.
    public var workingDirectory: String
    /// The absolute path of the attempt's log; created by the executor, never overwritten.
    public var logPath: String
    /// The attempt's deadline, counted from the moment the process exists; `nil` for none.
    public var timeout: Duration?
    /// How long a process group has between SIGTERM and SIGKILL.
    public var killGrace: Duration

    public init(
        argv: [String],
        environment: [String: String],
        workingDirectory: String,
        logPath: String,
        timeout: Duration? = nil,
        killGrace: Duration = .seconds(10)
    ) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.logPath = logPath
        self.timeout = timeout
        self.killGrace = killGrace
    }
}

/// The process an attempt runs as, reported once it exists.
public struct StartedProcess: Sendable, Hashable {
    public var pid: Int32
    /// The attempt's process group; equal to `pid` because each attempt starts a new session.
    public var pgid: Int32

    public init(pid: Int32, pgid: Int32) {
        self.pid = pid
        self.pgid = pgid
    }
}

/// Runs one attempt of a task to its end; the seam between the engine and processes.
public protocol TaskExecutor: Sendable {
    /// Runs one attempt to its end.
    ///
    /// Never throws for the task's own failure: a non-zero exit, a signal, a timeout, a failure
    /// to start are outcomes. The process is created only once `gate` allows it (a closed gate
    /// ends the attempt `.cancelled` with nothing started and no log left). `onStart` is called
    /// once, synchronously, right after the process exists (the engine records the pid). If the
    /// calling Swift task is cancelled, the process group is terminated (SIGTERM, grace, SIGKILL)
    /// and the outcome is `.cancelled`.
    func run(_ launch: AttemptLaunch, gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void) async -> AttemptOutcome
}

extension TaskExecutor {
    /// Runs one attempt with nothing to wait for before its process is created.
    public func run(_ launch: AttemptLaunch, onStart: @Sendable (StartedProcess) -> Void) async -> AttemptOutcome {
        await run(launch, gate: OpenGate(), onStart: onStart)
    }
}
