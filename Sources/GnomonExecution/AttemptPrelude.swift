import Dispatch
import GnomonCore
import Glibc

/// What differs between executors in running one attempt; ``AttemptPrelude`` does the rest.
protocol AttemptBody: Sendable {
    /// What the executor is given for one attempt.
    associatedtype Launch: Sendable
    /// What ``prepare(_:log:)`` builds: everything needed to create the attempt's process.
    associatedtype Prepared: Sendable
    associatedtype Stopper: AttemptStopper

    /// Checks the launch and builds what is to be started, before the gate: nothing is created.
    /// - Parameter log: the attempt's log, open for writing (the prelude closes it on failure).
    func prepare(_ launch: Launch, log: Int32) -> Result<Prepared, LaunchProblem>

    /// The stopper of one attempt, made once the gate has opened and before anything is created.
    func stopper(for prepared: Prepared, launch: Launch) -> Stopper

    /// Creates the attempt's process, calls `onStart` once it exists, and waits for its end.
    ///
    /// Owns `log` (closes it). Runs under the prelude's cancellation handler and deadline, which
    /// call `stopper`; the outcome it returns counts only when no stop was asked for.
    func execute(
        _ prepared: Prepared, launch: Launch, log: Int32, stopper: Stopper,
        onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome

    /// Runs after every end, stopped or not, once the stopper has finished: removes what the
    /// attempt may have left (a process group's stragglers, a container).
    func cleanUp(_ prepared: Prepared, stopper: Stopper) async
}

/// The steps every attempt goes through, whatever runs it.
///
/// 1. Nothing starts for a Swift task already cancelled: `.cancelled`, no log.
/// 2. The log is created exclusively (and its folders); a failure is `.couldNotStart`.
/// 3. The body prepares; a problem is written to the log and returned as `.couldNotStart`.
/// 4. The engine's gate: a closed gate (or a cancel meanwhile) removes the log, `.cancelled`.
/// 5. The deadline timer starts and a cancellation handler is installed; either stops the
///    attempt through the body's stopper.
/// 6. The body creates the process and waits for it.
/// 7. Why it stopped: a stop asked for decides the outcome (`.timedOut`, `.cancelled`,
///    `.signalled(SIGXFSZ)` for a log past its limit under `log_limit_action: fail`), else the
///    body's outcome stands. The body cleans up in every case.
/// 8. A log that passed its `log_limit` (watched from step 5 on by ``LogWatch``) is compacted to
///    its head, a line saying how much was dropped, and its tail.
enum AttemptPrelude {
    /// - Parameters:
    ///   - logPath: the attempt's log, created here, never overwritten.
    ///   - timeout: the attempt's deadline, counted from the moment its gate opens.
    ///   - logLimit: how large the log may grow (``LogWatch`` keeps it so while the attempt runs).
    static func run<Body: AttemptBody>(
        _ body: Body, _ launch: Body.Launch, logPath: String, timeout: Duration?, logLimit: LogLimit,
        gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        if Task.isCancelled { return .cancelled }

        let log: Int32
        switch AttemptLog.create(at: logPath) {
        case .success(let descriptor): log = descriptor
        case .failure(let problem): return .couldNotStart(reason: problem.reason)
        }
        let prepared: Body.Prepared
        switch body.prepare(launch, log: log) {
        case .success(let made): prepared = made
        case .failure(let problem):
            AttemptLog.recordCouldNotStart(problem.reason, to: log)
            close(log)
            return .couldNotStart(reason: problem.reason)
        }
        guard await AttemptLog.passGate(gate, logPath: logPath) else {
            close(log)
            return .cancelled
        }

        let stopper = body.stopper(for: prepared, launch: launch)
        var deadline: DispatchWorkItem?
        if let timeout {
            let item = DispatchWorkItem { stopper.stop(because: .timedOut) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.dispatchInterval, execute: item)
            deadline = item
        }
        let watch = LogWatch.shared.watch(logPath, limit: logLimit) { stopper.stop(because: .logLimit) }
        let outcome = await withTaskCancellationHandler {
            await body.execute(prepared, launch: launch, log: log, stopper: stopper, onStart: onStart)
        } onCancel: {
            stopper.stop(because: .cancelled)
        }
        deadline?.cancel()
        let stopReason = await stopper.finish()
        await body.cleanUp(prepared, stopper: stopper)
        if LogWatch.shared.end(watch) { await AttemptLog.compact(logPath, limit: logLimit) }
        if stopReason == .logLimit {
            AttemptLog.append("gnomon: stopped: the log passed its log_limit of \(ByteSize.format(logLimit.bytes)) (log_limit_action: fail)\n", to: logPath)
        }
        return stopReason?.outcome ?? outcome
    }
}
