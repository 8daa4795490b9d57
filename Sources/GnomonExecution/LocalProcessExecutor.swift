import Dispatch
import GnomonCore
import Glibc

/// Runs each attempt as a local process in its own session, its output going straight to its log.
///
/// The sequence (see Docs/execution.md):
/// 1. create the log file exclusively (and its folders);
/// 2. check the working directory and resolve `argv[0]`; a problem is written to the log and
///    returned as `.couldNotStart`;
/// 3. wait for the engine's gate (the task's readiness committed); a closed gate removes the log
///    and ends the attempt `.cancelled` with nothing started;
/// 4. spawn (`vfork` + `exec`) in a new session (pid == pgid), stdin from `/dev/null`, stdout and stderr
///    both the log's descriptor: Gnomon never reads the bytes;
/// 5. wait for the exit; on timeout or cancellation SIGTERM the group, SIGKILL it after the grace;
/// 6. after every end, even a clean exit, SIGKILL the group so no background child outlives it.
public final class LocalProcessExecutor: TaskExecutor {
    private let spawner: ProcessSpawner
    private let resolver: CommandResolver

    public init() {
        self.spawner = .shared
        self.resolver = CommandResolver()
    }

    public func run(
        _ launch: AttemptLaunch, gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        // Nothing is started for a run that is already being torn down.
        if Task.isCancelled { return .cancelled }

        let log: Int32
        switch AttemptLog.create(at: launch.logPath) {
        case .success(let descriptor): log = descriptor
        case .failure(let problem): return .couldNotStart(reason: problem.reason)
        }
        let request: SpawnRequest
        switch prepare(launch, log: log) {
        case .success(let prepared): request = prepared
        case .failure(let problem):
            AttemptLog.recordCouldNotStart(problem.reason, to: log)
            close(log)
            return .couldNotStart(reason: problem.reason)
        }
        guard await AttemptLog.passGate(gate, logPath: launch.logPath) else {
            close(log)
            return .cancelled
        }

        let pid: Int32
        do {
            pid = try spawner.spawn(request)
            close(log)
        } catch {
            AttemptLog.recordCouldNotStart(error.message, to: log)
            close(log)
            return .couldNotStart(reason: error.message)
        }
        onStart(StartedProcess(pid: pid, pgid: pid))

        let terminator = GroupTerminator(pgid: pid, grace: launch.killGrace)
        var deadline: DispatchWorkItem?
        if let timeout = launch.timeout {
            // A process that exited before its deadline keeps its own outcome, even if the task
            // awaiting it has not run yet (a busy machine).
            let item = DispatchWorkItem { [spawner] in
                if !spawner.hasExited(pid) { terminator.stop(because: .timedOut) }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.dispatchInterval, execute: item)
            deadline = item
        }
        let status = await withTaskCancellationHandler {
            await spawner.waitForExit(of: pid)
        } onCancel: { [spawner] in
            if !spawner.hasExited(pid) { terminator.stop(because: .cancelled) }
        }
        deadline?.cancel()
        let stopReason = terminator.finish()
        // The leader is gone; anything left in its group (a `cmd &`) goes with it.
        killProcessGroup(pid, signal: SIGKILL)

        switch stopReason {
        case .timedOut: return .timedOut
        case .cancelled: return .cancelled
        case nil: return Self.outcome(of: status)
        }
    }

    /// Checks the launch and builds the spawn request (the process is not created yet).
    private func prepare(_ launch: AttemptLaunch, log: Int32) -> Result<SpawnRequest, LaunchProblem> {
        guard let command = launch.argv.first else {
            return .failure(LaunchProblem("the task has an empty command"))
        }
        if let problem = Self.checkWorkingDirectory(launch.workingDirectory) {
            return .failure(problem)
        }
        let executable: String
        switch resolver.resolve(command, environment: launch.environment, workingDirectory: launch.workingDirectory) {
        case .success(let path): executable = path
        case .failure(let problem): return .failure(LaunchProblem(problem.reason))
        }
        return .success(SpawnRequest(
            executable: executable,
            arguments: launch.argv,
            environment: launch.environment,
            workingDirectory: launch.workingDirectory,
            standardInput: .null,
            standardOutput: .descriptor(log),
            standardError: .descriptor(log),
            newSession: true))
    }

    /// A clearer message than the `ENOENT` a spawn would give for a bad directory.
    static func checkWorkingDirectory(_ path: String) -> LaunchProblem? {
        guard path.hasPrefix("/") else {
            return LaunchProblem("working directory \"\(path)\" is not an absolute path")
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return LaunchProblem("working directory \(path) does not exist") }
            return LaunchProblem("working directory \(path) cannot be used: \(ErrnoText.describe(code))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return LaunchProblem("working directory \(path) is not a directory")
        }
        guard access(path, X_OK) == 0 else {
            return LaunchProblem("working directory \(path) cannot be entered (permission denied)")
        }
        return nil
    }

    static func outcome(of status: ProcessTermination) -> AttemptOutcome {
        switch status {
        case .exited(let code): return .exited(code: code)
        case .signalled(let signal): return .signalled(signal: signal)
        case .unknown: return .lost
        }
    }
}
