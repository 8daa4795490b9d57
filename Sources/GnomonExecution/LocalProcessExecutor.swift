import GnomonCore
import Glibc

/// Runs each attempt of a `run:` or `command:` task as a local process in its own session, its
/// output going straight to its log.
///
/// The sequence (see Docs/execution.md), inside the steps every attempt shares (``AttemptPrelude``):
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
    private let body: LocalProcessBody

    public init() {
        self.body = LocalProcessBody(spawner: .shared, resolver: CommandResolver())
    }

    public func run(
        _ launch: AttemptLaunch, gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        await AttemptPrelude.run(
            body, launch, logPath: launch.logPath, timeout: launch.timeout, logLimit: launch.logLimit,
            gate: gate, onStart: onStart)
    }
}

/// A local process's part of an attempt: the spawn request, the spawn, the wait.
struct LocalProcessBody: AttemptBody {
    let spawner: ProcessSpawner
    let resolver: CommandResolver

    /// Checks the launch and builds the spawn request (the process is not created yet).
    func prepare(_ launch: AttemptLaunch, log: Int32) -> Result<SpawnRequest, LaunchProblem> {
        guard let argv = AttemptEnvironment.argv(for: launch.action) else {
            return .failure(LaunchProblem(
                "a \(launch.action.executorKind) task cannot run as a local process; it needs the \(launch.action.executorKind) executor"))
        }
        guard let command = argv.first else {
            return .failure(LaunchProblem("the task has an empty command"))
        }
        if let problem = Self.checkWorkingDirectory(launch.workingDirectory, key: launch.workingDirectoryKey) {
            return .failure(problem)
        }
        let executable: String
        switch resolver.resolve(command, environment: launch.environment, workingDirectory: launch.workingDirectory) {
        case .success(let path): executable = path
        case .failure(let problem): return .failure(LaunchProblem(problem.reason))
        }
        return .success(SpawnRequest(
            executable: executable,
            arguments: argv,
            environment: launch.environment,
            workingDirectory: launch.workingDirectory,
            standardInput: .null,
            standardOutput: .descriptor(log),
            standardError: .descriptor(log),
            newSession: true))
    }

    func stopper(for request: SpawnRequest, launch: AttemptLaunch) -> GroupTerminator {
        GroupTerminator(grace: launch.killGrace, spawner: spawner)
    }

    func execute(
        _ request: SpawnRequest, launch: AttemptLaunch, log: Int32, stopper: GroupTerminator,
        onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        let pid: Int32
        do {
            pid = try spawner.spawn(request)
            close(log)
        } catch {
            AttemptLog.recordCouldNotStart(error.message, to: log)
            close(log)
            return .couldNotStart(reason: error.message)
        }
        stopper.track(group: pid)
        onStart(StartedProcess(pid: pid, pgid: pid))
        return Self.outcome(of: await spawner.waitForExit(of: pid))
    }

    func cleanUp(_ request: SpawnRequest, stopper: GroupTerminator) async {
        // The leader is gone; anything left in its group (a `cmd &`) goes with it.
        if let group = stopper.group { killProcessGroup(group, signal: SIGKILL) }
    }

    /// A clearer message than the `ENOENT` a spawn would give for a bad directory.
    /// A clearer message than the `ENOENT` a spawn would give for a bad directory; with the
    /// job-file `key` that chose the directory, the message starts with it and says what to change.
    static func checkWorkingDirectory(_ path: String, key: String? = nil) -> LaunchProblem? {
        func problem(_ what: String, fix: String) -> LaunchProblem {
            guard let key else { return LaunchProblem("working directory \(what)") }
            return LaunchProblem("\(key): working directory \(what); \(fix), or change \(key) "
                + "(a relative workdir is taken from the job file's folder)")
        }
        guard path.hasPrefix("/") else {
            return problem("\"\(path)\" is not an absolute path", fix: "use an absolute path")
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return problem("\(path) does not exist", fix: "create the folder") }
            return problem("\(path) cannot be used: \(ErrnoText.describe(code))", fix: "check its permissions")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return problem("\(path) is not a directory", fix: "name a folder")
        }
        guard access(path, X_OK) == 0 else {
            return problem("\(path) cannot be entered (permission denied)", fix: "give the runner's user search (x) permission")
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
