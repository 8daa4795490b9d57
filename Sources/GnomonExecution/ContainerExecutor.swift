import GnomonCore
import Glibc

/// Runs each attempt of a `container:` task through the podman or docker CLI.
///
/// The sequence (see Docs/containers.md), inside the steps every attempt shares (``AttemptPrelude``):
/// 1. create the log file exclusively, as for local attempts;
/// 2. build the `create` command line; a problem is written to the log, `.couldNotStart`;
/// 3. wait for the engine's gate (see ``LaunchGate``); a closed gate removes the log and ends the
///    attempt `.cancelled` with nothing created;
/// 4. `RUNTIME create --name NAME --init --network none ...` (pulls the image if the policy says
///    so); a failure is `.couldNotStart` with the runtime's message;
/// 5. `RUNTIME start --attach NAME` with the log as its stdout and stderr (podman passes the
///    container's own descriptors through, so Gnomon never copies a byte);
/// 6. when it ends with 0, the attempt succeeded; otherwise `inspect` gives the container's exit
///    code and OOM state, and a container still running (the CLI died) is waited for with `wait`;
/// 7. on timeout or cancellation: `stop -t GRACE NAME`, then `rm -f NAME`; signals to the CLI
///    would not stop the container;
/// 8. after every end, `rm -f NAME`: no container of Gnomon's outlives its attempt.
///
/// Every CLI command runs through ``ProcessSpawner/shared``. After a crash of Gnomon, an
/// attempt's container is found again by its name (``reattach(_:logPath:)``).
public final class ContainerExecutor: TaskExecutor {
    public let runtime: ContainerRuntime
    let cli: ContainerCLI

    public init(runtime: ContainerRuntime) {
        self.runtime = runtime
        self.cli = ContainerCLI(runtime: runtime)
    }

    /// Runs one attempt of a `container:` task: its container is named and labelled after the
    /// attempt's identity (see ``ContainerLaunch/init(_:)``).
    public func run(
        _ launch: AttemptLaunch, gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        guard let container = ContainerLaunch(launch) else {
            let reason = "a \(launch.action.executorKind) task cannot run in a container; it needs the \(launch.action.executorKind) executor"
            AttemptLog.note(couldNotStart: reason, at: launch.logPath)
            return .couldNotStart(reason: reason)
        }
        return await run(container, gate: gate, onStart: onStart)
    }

    /// Runs one attempt to its end and removes its container.
    ///
    /// Never throws: the container's exit code, a timeout, an out-of-memory kill, a runtime that
    /// could not create or start the container are outcomes. `onStart` is called once, with the
    /// attached CLI's pid and the container's name, right after that process exists. If the
    /// calling Swift task is cancelled, the container is stopped and removed and the outcome is
    /// `.cancelled`; if it was cancelled before the attempt began, nothing is started and no log
    /// is created.
    public func run(
        _ launch: ContainerLaunch, gate: any LaunchGate = OpenGate(), onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        await AttemptPrelude.run(
            ContainerBody(executor: self), launch, logPath: launch.logPath, timeout: launch.timeout,
            logLimit: launch.logLimit, gate: gate, onStart: onStart)
    }

    /// Creates, starts and waits for the container; the outcome is ignored if a stop was asked.
    fileprivate func attempt(
        _ launch: ContainerLaunch, createArguments: [String], log: Int32, stopper: ContainerStopper,
        onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        let creation = cli.start(createArguments, killGrace: launch.killGrace)
        stopper.track(creation: creation)
        let created = await creation.value
        stopper.track(creation: nil)
        if stopper.isStopping { return .cancelled }
        switch created {
        case .failure(let error):
            return couldNotStart("could not run the container runtime: \(error.message)", log: log)
        case .success(let output) where output.status != .exited(code: 0):
            let reason = createFailure(ContainerCLI.message(of: output), launch: launch)
            return couldNotStart(reason, log: log, details: output.errorText)
        case .success(let output):
            // Pull progress and warnings: what the runtime said before the task's own output.
            if !output.errorText.isEmpty { DescriptorText.write(output.errorText, to: log) }
        }

        let pid: Int32
        do {
            pid = try ProcessSpawner.shared.spawn(SpawnRequest(
                executable: runtime.executable,
                arguments: [runtime.executable, "start", "--attach", launch.name],
                environment: runtime.environment,
                workingDirectory: "/",
                standardInput: .null,
                standardOutput: .descriptor(log),
                standardError: .descriptor(log),
                ownGroup: true))
        } catch {
            return couldNotStart("could not run the container runtime: \(error.message)", log: log)
        }
        stopper.track(attachedGroup: pid)
        onStart(StartedProcess(pid: pid, pgid: pid, reference: .container(launch.name)))
        let status = await ProcessSpawner.shared.waitForExit(of: pid)
        stopper.track(attachedGroup: nil)
        // conmon runs in a session of its own, so this reaches only what the CLI left behind.
        killProcessGroup(pid, signal: SIGKILL)
        if stopper.isStopping { return .cancelled }
        // `start --attach` exits with the container's code; 0 can be neither an OOM kill (137)
        // nor a runtime failure (125-127, or the init's 1), so it needs no `inspect`.
        if status == .exited(code: 0) { return .exited(code: 0) }
        return await conclude(name: launch.name, attachedStatus: status, logPath: launch.logPath, log: log)
    }

    /// The outcome of a container whose attached CLI has ended: from `inspect`, after a `wait`
    /// if the container still runs.
    func conclude(name: String, attachedStatus: ProcessTermination?, logPath: String, log: Int32) async -> AttemptOutcome {
        // A `wait` returns when the container stops; a paused or restarting one may need more.
        for _ in 0..<3 {
            switch await cli.inspect(name) {
            case .missing:
                let how = attachedStatus.map { " (\(runtime.name) start ended with \($0))" } ?? ""
                DescriptorText.write(
                    "gnomon: the container \(name) was removed before its exit code could be read\(how)\n", to: log)
                return .lost
            case .failed(let message):
                DescriptorText.write("gnomon: could not read the state of container \(name): \(message)\n", to: log)
                return .lost
            case .found(let state) where state.neverStarted:
                let how = attachedStatus.map { "\(runtime.name) start ended with \($0)" } ?? "it was never started"
                let reason = state.error.isEmpty
                    ? "the container \(name) did not start: \(how); the runtime's message is in the log"
                    : state.error
                return couldNotStart(reason, log: log)
            case .found(let state) where state.hasEnded:
                let outcome = state.outcome(logTail: Self.tail(of: logPath))
                if case .couldNotStart(let reason) = outcome {
                    AttemptLog.recordCouldNotStart(reason, to: log)
                }
                return outcome
            case .found:
                _ = await cli.run(["wait", name])
            }
        }
        DescriptorText.write("gnomon: container \(name) is still not finished after \(runtime.name) wait\n", to: log)
        return .lost
    }

    /// The could-not-start reason for a failed `create`, with a hint where one helps.
    private func createFailure(_ message: String, launch: ContainerLaunch) -> String {
        var reason = "\(runtime.name) could not create the container for image \(launch.spec.image): \(message)"
        if launch.spec.pull == .never {
            reason += "; the image must already be on this machine because pull is \"never\""
                + " (get it with \(runtime.name) pull \(launch.spec.image), or use pull: missing)"
        }
        return reason
    }

    /// Writes the could-not-start line (and the runtime's full output, if any) to the log.
    private func couldNotStart(_ reason: String, log: Int32, details: String = "") -> AttemptOutcome {
        AttemptLog.recordCouldNotStart(reason, to: log)
        if !details.isEmpty { DescriptorText.write(details, to: log) }
        return .couldNotStart(reason: reason)
    }

    /// The last few KiB of a log, as text.
    static func tail(of path: String, bytes limit: Int = 4096) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return "" }
        let start = max(0, Int(info.st_size) - limit)
        var buffer = [UInt8](repeating: 0, count: Int(info.st_size) - start)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(start)) }
        guard count > 0 else { return "" }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

/// A container's part of an attempt: the `create` command line, the container's life, its removal.
private struct ContainerBody: AttemptBody {
    let executor: ContainerExecutor

    func prepare(_ launch: ContainerLaunch, log: Int32) -> Result<[String], LaunchProblem> {
        // The mount's source must exist, or the runtime would create a folder in its place.
        if let output = launch.outputPath, let problem = AttemptFiles.createOutputFile(at: output) {
            return .failure(problem)
        }
        return launch.createArguments(flavor: executor.runtime.flavor).mapError { LaunchProblem($0.reason) }
    }

    func stopper(for arguments: [String], launch: ContainerLaunch) -> ContainerStopper {
        ContainerStopper(cli: executor.cli, name: launch.name, grace: launch.killGrace)
    }

    func execute(
        _ arguments: [String], launch: ContainerLaunch, log: Int32, stopper: ContainerStopper,
        onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        defer { close(log) }
        return await executor.attempt(launch, createArguments: arguments, log: log, stopper: stopper, onStart: onStart)
    }

    func cleanUp(_ arguments: [String], stopper: ContainerStopper) async {
        // Also after a stop: a `create` cut short may have left the container behind.
        await executor.cli.remove(stopper.name)
    }
}
