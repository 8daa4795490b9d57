import GnomonCore

/// The executors of an engine, one per kind of task action; hands each launch to its own.
///
/// The engine holds one router and never asks which executor runs a task. A kind with no
/// executor on this machine (no container runtime) is an ``UnavailableExecutor``: its attempts
/// end `.couldNotStart` with the reason, written to their logs. A new kind of executor is a new
/// ``ExecutorKind`` and one more entry here, not a change to the engine.
public final class ExecutorRouter: TaskExecutor {
    private let executors: [ExecutorKind: any TaskExecutor]

    /// A router over these executors; a kind missing from `executors` is unavailable.
    public init(_ executors: [ExecutorKind: any TaskExecutor]) {
        self.executors = executors
    }

    /// Local processes, containers through podman or docker when one is found, and Slurm jobs.
    ///
    /// - Parameters:
    ///   - environment: the runner's environment, where the container runtime is looked for
    ///     (and which its CLI runs with).
    ///   - containerRuntime: the runtime to use instead of looking: `GNOMON_CONTAINER_RUNTIME`,
    ///     else podman, else docker, found in the `PATH` of `environment`.
    ///   - local: the executor of `run:` and `command:` tasks.
    ///   - slurm: how `slurm:` tasks reach their cluster; by default Slurm's commands are looked
    ///     for in the `PATH` of `environment`, with its `SLURM_CONF`.
    public static func standard(
        environment: [String: String],
        containerRuntime: Result<ContainerRuntime, ContainerRuntimeProblem>? = nil,
        local: any TaskExecutor = LocalProcessExecutor(),
        slurm: SlurmConfiguration? = nil
    ) -> ExecutorRouter {
        let runtime = containerRuntime ?? ContainerRuntime.detect(environment: environment, override: nil)
        let containers: any TaskExecutor
        switch runtime {
        case .success(let found): containers = ContainerExecutor(runtime: found)
        case .failure(let problem): containers = UnavailableExecutor(reason: problem.message)
        }
        let cluster = SlurmExecutor(configuration: slurm ?? SlurmConfiguration(environment: environment))
        return ExecutorRouter([.local: local, .container: containers, .slurm: cluster])
    }

    /// The executor of one kind.
    public func executor(for kind: ExecutorKind) -> any TaskExecutor {
        executors[kind] ?? UnavailableExecutor(reason: "no executor for \(kind) tasks is set up in this Gnomon")
    }

    public func run(
        _ launch: AttemptLaunch, gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        await executor(for: launch.action.executorKind).run(launch, gate: gate, onStart: onStart)
    }

    public func canReattach(_ reference: AttemptReference) -> Bool {
        executor(for: reference.kind).canReattach(reference)
    }

    public func reattach(_ reference: AttemptReference, logPath: String) async -> AttemptOutcome? {
        await executor(for: reference.kind).reattach(reference, logPath: logPath)
    }

    public func discard(_ reference: AttemptReference, logPath: String) async {
        await executor(for: reference.kind).discard(reference, logPath: logPath)
    }

    /// The first executor's (in ``ExecutorKind`` order) that may have started the attempt.
    public func unrecordedReference(logPath: String) -> AttemptReference? {
        for kind in ExecutorKind.allCases {
            if let reference = executors[kind]?.unrecordedReference(logPath: logPath) { return reference }
        }
        return nil
    }
}

/// The executor of a kind that cannot run on this machine: every attempt could not start, for
/// `reason` (for example no container runtime found, and how to install one).
public struct UnavailableExecutor: TaskExecutor {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    /// Writes `gnomon: could not start: REASON` to the attempt's log and ends it `.couldNotStart`;
    /// nothing is started, so neither the gate nor `onStart` is used.
    public func run(
        _ launch: AttemptLaunch, gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        AttemptLog.note(couldNotStart: reason, at: launch.logPath)
        return .couldNotStart(reason: reason)
    }
}
