import GnomonCore
import Glibc

/// Runs each attempt of a `run:` or `command:` task as a local process in its own process group, its
/// output going straight to its log.
///
/// The sequence (see Docs/execution.md), inside the steps every attempt shares (``AttemptPrelude``):
/// 1. create the log file exclusively (and its folders);
/// 2. resolve `argv[0]` (an absolute path is taken as written); a problem is written to the log
///    and returned as `.couldNotStart`;
/// 3. wait for the engine's gate (the task's readiness committed); a closed gate removes the log
///    and ends the attempt `.cancelled` with nothing started;
/// 4. spawn (`vfork` + `exec`) in a process group of its own (pid == pgid, no controlling terminal), stdin from `/dev/null`, stdout and stderr
///    both the log's descriptor: Gnomon never reads the bytes. A spawn that fails is explained
///    by looking at the working directory and the command then (`.couldNotStart`): the child's
///    `chdir` and `execve` check them anyway, so the path to a spawn does not look first;
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
        // A relative one would be taken from Gnomon's own working directory by the child's chdir.
        guard launch.workingDirectory.hasPrefix("/") else {
            return .failure(Self.checkWorkingDirectory(launch.workingDirectory, key: launch.workingDirectoryKey)
                ?? LaunchProblem("working directory \"\(launch.workingDirectory)\" is not an absolute path"))
        }
        let executable: String
        if command.hasPrefix("/") {
            // What the disk holds there is the spawn's to find (``explainFailedSpawn``).
            executable = PathJoin.join(launch.workingDirectory, command)
        } else {
            switch resolver.resolve(command, environment: launch.environment, workingDirectory: launch.workingDirectory) {
            case .success(let path): executable = path
            case .failure(let problem):
                // A missing working directory is the first thing to fix, as after a failed spawn.
                return .failure(Self.checkWorkingDirectory(launch.workingDirectory, key: launch.workingDirectoryKey)
                    ?? LaunchProblem(problem.reason))
            }
        }
        return .success(SpawnRequest(
            executable: executable,
            arguments: argv,
            environment: launch.environment,
            workingDirectory: launch.workingDirectory,
            standardInput: .null,
            standardOutput: .descriptor(log),
            standardError: .descriptor(log),
            ownGroup: true))
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
            let reason = explainFailedSpawn(launch) ?? error.message
            AttemptLog.recordCouldNotStart(reason, to: log)
            close(log)
            return .couldNotStart(reason: reason)
        }
        stopper.track(group: pid)
        onStart(StartedProcess(pid: pid, pgid: pid))
        return Self.outcome(of: await spawner.waitForExit(of: pid))
    }

    func cleanUp(_ request: SpawnRequest, stopper: GroupTerminator) async {
        // The leader is gone; anything left in its group (a `cmd &`) goes with it.
        if let group = stopper.group { killProcessGroup(group, signal: SIGKILL) }
    }

    /// Why a spawn failed, when the working directory or the command is the cause: the message
    /// of ``checkWorkingDirectory(_:key:)`` or of ``CommandResolver``, clearer than the errno of
    /// the child's `chdir` or `execve`; `nil` when both look fine (the spawn's own message stands).
    func explainFailedSpawn(_ launch: AttemptLaunch) -> String? {
        if let problem = Self.checkWorkingDirectory(launch.workingDirectory, key: launch.workingDirectoryKey) {
            return problem.reason
        }
        guard let command = AttemptEnvironment.argv(for: launch.action)?.first else { return nil }
        if case .failure(let problem) = resolver.resolve(
            command, environment: launch.environment, workingDirectory: launch.workingDirectory) {
            return problem.reason
        }
        return nil
    }

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
