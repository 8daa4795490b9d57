import Dispatch
import GnomonCore
import Glibc
import Synchronization

/// Runs each attempt of a `slurm:` task as a batch job on a Slurm cluster.
///
/// The sequence (see Docs/slurm.md), inside the steps every attempt shares (``AttemptPrelude``):
/// 1. the log is created (on a file system the nodes share); it is the attempt's token's record
///    before anything is submitted: the token is `gnomon:` and the log's path;
/// 2. the wrapper script is written beside it;
/// 3. the engine's gate; then, while slurmctld does not answer, nothing is submitted;
/// 4. `sbatch --parsable --no-requeue --job-name --comment=TOKEN --output=LOG ...`; the job id is
///    reported through `onStart` (recorded as the attempt's reference, `slurm:ID`);
/// 5. the ``SlurmTracker`` follows the job with one `squeue` for all jobs per interval;
/// 6. its final state and the wrapper's exit file give the outcome (``SlurmOutcome``);
/// 7. a timeout or a cancellation `scancel`s it: SIGTERM to every process of the job, the
///    grace, then `scancel` (pending jobs are simply removed), and waits for it to end.
public final class SlurmExecutor: TaskExecutor {
    public let configuration: SlurmConfiguration
    let cli: SlurmCLI
    let tracker: SlurmTracker

    public init(configuration: SlurmConfiguration) {
        self.configuration = configuration
        self.cli = SlurmCLI(configuration: configuration)
        self.tracker = SlurmTracker(cli: cli)
    }

    /// How many `squeue` calls the tracker has made (for the benchmark).
    public var squeueCalls: Int { tracker.squeueCalls.load(ordering: .relaxed) }

    public func run(
        _ launch: AttemptLaunch, gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        guard let submission = SlurmSubmission(launch) else {
            let reason = "a \(launch.action.executorKind) task cannot run on Slurm; it needs the \(launch.action.executorKind) executor"
            AttemptLog.note(couldNotStart: reason, at: launch.logPath)
            return .couldNotStart(reason: reason)
        }
        return await AttemptPrelude.run(
            SlurmBody(executor: self), submission, logPath: launch.logPath, timeout: launch.timeout, logLimit: launch.logLimit,
            gate: gate, onStart: onStart)
    }

    /// Submits the job (once) and waits for its end; the outcome is ignored if a stop was asked.
    fileprivate func attempt(
        _ submission: SlurmSubmission, log: Int32, stopper: SlurmStopper, onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        let logPath = submission.launch.logPath
        var id: String?
        while id == nil {
            await tracker.waitUntilReachable(logPath: logPath) { stopper.isStopping }
            if stopper.isStopping { return .cancelled }
            let arguments = submission.arguments
            switch await cli.run("sbatch", arguments, environment: submission.environment(configuration)) {
            case .failure(let failure):
                return couldNotStart(failure.message, log: log)
            case .success(let output) where output.status == .exited(code: 0):
                let text = output.outputText.split(separator: "\n").last.map(String.init) ?? ""
                // `--parsable` prints `ID` or `ID;CLUSTER`.
                guard let found = text.split(separator: ";").first.map(String.init), Int(found) != nil else {
                    return couldNotStart("sbatch printed no job id (got \"\(text)\")", log: log)
                }
                id = found
            case .success(let output) where Self.isUnreachable(output):
                // The job may exist even so: look for the token before submitting again.
                tracker.markUnreachable()
                DescriptorText.write("gnomon: sbatch could not reach slurmctld (\(SlurmCLI.message(of: output))); looking for the job before submitting again\n", to: log)
                while id == nil {
                    await tracker.waitUntilReachable(logPath: logPath) { stopper.isStopping }
                    if stopper.isStopping { return .cancelled }
                    switch await locate(logPath: logPath) {
                    case .found(let found): id = found
                    case .absent: break
                    case .unknown:
                        tracker.markUnreachable()
                        continue
                    }
                    break
                }
            case .success(let output):
                return couldNotStart("sbatch refused the job: \(SlurmCLI.message(of: output))", log: log)
            }
        }
        guard let id else { return .lost }
        DescriptorText.write("gnomon: submitted as Slurm job \(id) (\(submission.jobName))\n", to: log)
        SlurmStateFile.write(SlurmJobReport(id: id, state: "SUBMITTED", node: "", reason: "None"), logPath: logPath)
        stopper.track(job: id)
        onStart(StartedProcess(pid: 0, pgid: 0, reference: .slurm(id)))
        return await conclude(job: id, token: submission.token, jobName: submission.jobName, logPath: logPath)
    }

    /// Waits for job `id` to end and maps its final state to an outcome.
    func conclude(job id: String, token: String, jobName: String, logPath: String) async -> AttemptOutcome {
        let report = await tracker.wait(job: id, token: token, jobName: jobName, logPath: logPath)
        if let note = SlurmOutcome.note(for: report, job: id) { AttemptLog.append("gnomon: \(note)\n", to: logPath) }
        return SlurmOutcome.outcome(of: report, wrapperExit: SlurmSubmission.wrapperExit(logPath: logPath))
    }

    /// What Slurm says of the job carrying an attempt's token.
    enum Located: Sendable, Equatable {
        /// The job's id.
        case found(String)
        /// slurmctld answered and no job carries the token: it was never submitted.
        case absent
        /// slurmctld did not answer: nothing can be concluded.
        case unknown
    }

    /// Looks for the job of the attempt whose log is `logPath`: `squeue` by its comment (the
    /// token), then `sacct` by its job name (whose hash is the token's), for a job `squeue` has
    /// already forgotten.
    func locate(logPath: String) async -> Located {
        let token = SlurmSubmission.token(logPath: logPath), name = SlurmSubmission.jobName(logPath: logPath)
        guard case .success(let output) = await cli.run("squeue", ["-h", "-t", "all", "-o", "%i|%k"]),
              output.status == .exited(code: 0) else { return .unknown }
        for line in output.outputText.split(separator: "\n") {
            let fields = line.split(separator: "|", maxSplits: 1).map(String.init)
            if fields.count == 2, fields[1] == token { return .found(fields[0]) }
        }
        // `-S`: sacct looks only at today's jobs unless told a start; an attempt's job is never
        // older than its log, so the search starts on the log's day (its first write).
        var info = stat()
        let since = stat(logPath, &info) == 0 ? Self.sacctDay(info.st_mtim.tv_sec - 86_400) : "2000-01-01"
        for extra in [[], ["-c"]] {
            let arguments = extra + ["-n", "-P", "-X", "-S", since, "--name=\(name)", "-o", "JobID,JobName"]
            guard case .success(let output) = await cli.run("sacct", arguments), output.status == .exited(code: 0) else { continue }
            for line in output.outputText.split(separator: "\n") {
                let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                if fields.count >= 2, fields[1] == name, Int(fields[0]) != nil { return .found(fields[0]) }
            }
        }
        return .absent
    }

    /// `YYYY-MM-DD` (UTC) of a time in seconds since 1970, as `sacct -S` takes it.
    static func sacctDay(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))"
    }

    static func isUnreachable(_ output: CapturedOutput) -> Bool {
        let text = output.errorText
        return text.contains("Unable to contact slurm controller") || text.contains("Socket timed out")
            || text.contains("Connection refused") || text.contains("Zero Bytes were transmitted")
    }

    private func couldNotStart(_ reason: String, log: Int32) -> AttemptOutcome {
        AttemptLog.recordCouldNotStart(reason, to: log)
        return .couldNotStart(reason: reason)
    }
}

extension SlurmCLI {
    /// Runs `name arguments...` with another environment (`sbatch`, whose environment the job inherits).
    func run(_ name: String, _ arguments: [String], environment: [String: String]) async -> Result<CapturedOutput, Failure> {
        let other = SlurmCLI(configuration: SlurmConfiguration(
            environment: environment, commandFolder: configuration.commandFolder,
            pollInterval: configuration.pollInterval, maximumPollInterval: configuration.maximumPollInterval))
        return await other.run(name, arguments)
    }
}

/// Stops one Slurm job: SIGTERM to all its processes, the grace, then `scancel`.
final class SlurmStopper: AttemptStopper {
    private struct State {
        var job: String?
        var reason: StopReason?
        var finished = false
        var task: Task<Void, Never>?
    }

    let cli: SlurmCLI
    let grace: Duration
    private let state = Mutex(State())

    init(cli: SlurmCLI, grace: Duration) {
        self.cli = cli
        self.grace = grace
    }

    var isStopping: Bool { state.withLock { $0.reason != nil } }

    /// The job is submitted: a stop asked before now starts on it.
    func track(job: String) {
        let start = state.withLock { state -> Bool in
            state.job = job
            return state.reason != nil && state.task == nil
        }
        if start { startStopping(job) }
    }

    func stop(because reason: StopReason) {
        let job = state.withLock { state -> String? in
            guard state.reason == nil, !state.finished else { return nil }
            state.reason = reason
            return state.job
        }
        if let job { startStopping(job) }
    }

    private func startStopping(_ job: String) {
        let cli = self.cli, grace = self.grace
        let task = Task {
            // A pending job has no processes: the signal fails and the plain scancel removes it.
            _ = await cli.run("scancel", ["--signal=TERM", "--full", job])
            try? await Task.sleep(for: grace)
            _ = await cli.run("scancel", [job])
        }
        state.withLock { $0.task = task }
    }

    func finish() async -> StopReason? {
        let (reason, task) = state.withLock { state in
            state.finished = true
            return (state.reason, state.task)
        }
        // The job has ended by now (the attempt waited for its final state): no KILL is needed.
        task?.cancel()
        await task?.value
        return reason
    }
}

/// A Slurm job's part of an attempt: the wrapper script, the job's life.
private struct SlurmBody: AttemptBody {
    let executor: SlurmExecutor

    func prepare(_ submission: SlurmSubmission, log: Int32) -> Result<SlurmSubmission, LaunchProblem> {
        if let problem = submission.writeScript() { return .failure(LaunchProblem(problem)) }
        DescriptorText.write("\(SlurmSubmission.submittingLine) \(submission.token)\n", to: log)
        return .success(submission)
    }

    func stopper(for submission: SlurmSubmission, launch: SlurmSubmission) -> SlurmStopper {
        SlurmStopper(cli: executor.cli, grace: launch.launch.killGrace)
    }

    func execute(
        _ submission: SlurmSubmission, launch: SlurmSubmission, log: Int32, stopper: SlurmStopper,
        onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        defer { close(log) }
        return await executor.attempt(submission, log: log, stopper: stopper, onStart: onStart)
    }

    func cleanUp(_ submission: SlurmSubmission, stopper: SlurmStopper) async {}
}

extension SlurmExecutor {
    /// A Slurm reference (its job id) is one this executor can re-attach to.
    public func canReattach(_ reference: AttemptReference) -> Bool {
        reference.kind == .slurm
    }

    /// After a crash of Gnomon: follows the job `reference` names (or, with no id, the job
    /// carrying the token of the attempt whose log is `logPath`) to its end.
    ///
    /// A job shown with another token is not this attempt's (an id reused after a controller
    /// crash). While slurmctld does not answer, nothing is concluded: the search waits. If the
    /// calling task is cancelled while waiting, the job is `scancel`led.
    /// - Returns: nil if no job of this attempt exists (it was never submitted).
    public func reattach(_ reference: AttemptReference, logPath: String) async -> AttemptOutcome? {
        guard canReattach(reference) else { return nil }
        let token = SlurmSubmission.token(logPath: logPath)
        let stopper = SlurmStopper(cli: cli, grace: .seconds(10))
        var job = reference.identifier.isEmpty ? nil : reference.identifier
        while job == nil {
            await tracker.waitUntilReachable(logPath: logPath) { Task.isCancelled }
            if Task.isCancelled { return .cancelled }
            switch await locate(logPath: logPath) {
            case .found(let found):
                job = found
            case .absent:
                AttemptLog.append("gnomon: no Slurm job carries this attempt's token: it was never submitted\n", to: logPath)
                return nil
            case .unknown:
                tracker.markUnreachable()
            }
        }
        guard let job else { return nil }
        AttemptLog.append("gnomon: re-attached to Slurm job \(job) after a restart of Gnomon\n", to: logPath)
        stopper.track(job: job)
        let outcome = await withTaskCancellationHandler {
            await conclude(job: job, token: token, jobName: SlurmSubmission.jobName(logPath: logPath), logPath: logPath)
        } onCancel: {
            stopper.stop(because: .cancelled)
        }
        return await stopper.finish() == nil ? outcome : .cancelled
    }

    /// An attempt whose log says it was about to be submitted, but which was not recorded: it
    /// may have a job (found by its token on re-attaching).
    public func unrecordedReference(logPath: String) -> AttemptReference? {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8),
              text.contains(SlurmSubmission.submittingLine) else { return nil }
        return .slurm("")
    }

    /// `scancel`s the job `reference` names (for an attempt whose run was cancelled while Gnomon
    /// was down).
    public func discard(_ reference: AttemptReference, logPath: String) async {
        guard canReattach(reference) else { return }
        var job = reference.identifier
        if job.isEmpty, case .found(let found) = await locate(logPath: logPath) { job = found }
        guard !job.isEmpty else { return }
        _ = await cli.run("scancel", [job])
    }
}
