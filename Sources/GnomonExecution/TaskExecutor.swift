import GnomonCore

/// Runs attempts of tasks to their end; the seam between the engine and what runs a task.
///
/// ``LocalProcessExecutor`` and ``ContainerExecutor`` implement it, and ``ExecutorRouter``,
/// which the engine holds, hands each launch to the one for its action. An executor that can find
/// its attempts again after a crash of Gnomon (a container keeps running while Gnomon is down)
/// also implements ``reattach(_:logPath:)``, ``discard(_:logPath:)`` and ``unrecordedReference(logPath:)``.
public protocol TaskExecutor: Sendable {
    /// Runs one attempt to its end.
    ///
    /// Never throws for the task's own failure: a non-zero exit, a signal, a timeout, a failure
    /// to start are outcomes. The process is created only once `gate` allows it (a closed gate
    /// ends the attempt `.cancelled` with nothing started and no log left). `onStart` is called
    /// once, synchronously, right after the process exists (the engine records the pid and the
    /// reference). If the calling Swift task is cancelled, the attempt is stopped (SIGTERM,
    /// grace, SIGKILL) and the outcome is `.cancelled`.
    func run(_ launch: AttemptLaunch, gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void) async -> AttemptOutcome

    /// Whether this executor can re-attach to an attempt recorded with `reference` (false by
    /// default: a local process does not survive its runner's recovery).
    func canReattach(_ reference: AttemptReference) -> Bool

    /// After a crash of Gnomon: re-attaches to the attempt `reference` names and waits for its
    /// true outcome, appending a line to its log.
    ///
    /// If the calling task is cancelled while waiting, the attempt is stopped and the outcome is
    /// `.cancelled`.
    /// - Returns: `nil` if nothing of that reference exists any more; `.lost` if its state
    ///   cannot be read.
    func reattach(_ reference: AttemptReference, logPath: String) async -> AttemptOutcome?

    /// Removes whatever is left of the attempt `reference` names, whose log is `logPath` (for an
    /// attempt whose run was cancelled while Gnomon was down), so nothing outlives its attempt.
    func discard(_ reference: AttemptReference, logPath: String) async

    /// After a crash of Gnomon: the reference to re-attach to for an attempt that left its log
    /// `logPath` but was never recorded (its runner died between creating the log and recording
    /// the start), when this executor may have started it; nil by default (nothing to find).
    func unrecordedReference(logPath: String) -> AttemptReference?
}

extension TaskExecutor {
    public func canReattach(_ reference: AttemptReference) -> Bool { false }

    public func reattach(_ reference: AttemptReference, logPath: String) async -> AttemptOutcome? { nil }

    public func discard(_ reference: AttemptReference, logPath: String) async {}

    public func unrecordedReference(logPath: String) -> AttemptReference? { nil }

    /// Runs one attempt with nothing to wait for before its process is created.
    public func run(_ launch: AttemptLaunch, onStart: @Sendable (StartedProcess) -> Void) async -> AttemptOutcome {
        await run(launch, gate: OpenGate(), onStart: onStart)
    }
}

/// The kinds of executor, one per kind of task action.
public enum ExecutorKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `run:` and `command:` tasks: local processes.
    case local
    /// `container:` tasks: podman or docker.
    case container
    /// `slurm:` tasks: batch jobs on a Slurm cluster.
    case slurm

    public var description: String { rawValue }
}

extension TaskAction {
    /// The kind of executor that runs this action.
    public var executorKind: ExecutorKind {
        switch self {
        case .shell, .command: return .local
        case .container: return .container
        case .slurm: return .slurm
        }
    }
}

/// What an executor recorded to find an attempt again after a crash: its kind and its own
/// identifier (a container's name, a Slurm job's id).
public struct AttemptReference: Sendable, Hashable, CustomStringConvertible {
    public var kind: ExecutorKind
    public var identifier: String

    public init(kind: ExecutorKind, identifier: String) {
        self.kind = kind
        self.identifier = identifier
    }

    /// The reference of a container attempt: its name.
    public static func container(_ name: String) -> AttemptReference {
        AttemptReference(kind: .container, identifier: name)
    }

    /// The reference of a Slurm attempt: its job id (empty when it is not known).
    public static func slurm(_ job: String) -> AttemptReference {
        AttemptReference(kind: .slurm, identifier: job)
    }

    public var description: String { "\(kind) \(identifier)" }
}
