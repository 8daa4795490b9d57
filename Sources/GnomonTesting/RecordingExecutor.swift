import GnomonCore
import GnomonExecution
import Synchronization

/// A `TaskExecutor` that starts nothing: it records each launch and answers with scripted outcomes.
///
/// It stands for every executor at once (local processes and containers alike): tasks are told
/// apart by their launch's identity. Unscripted attempts succeed at once.
///
/// ```swift
/// let executor = RecordingExecutor()
/// executor.script("load", .exit(1), .exit(1), .exit(0))   // attempts 1, 2, 3
/// executor.script("slow", .hold)                          // runs until cancelled
/// ```
public final class RecordingExecutor: TaskExecutor {
    /// What one attempt does.
    public enum Step: Sendable, Hashable {
        /// Ends at once with this outcome (after `onStart`, as a started process would).
        case outcome(AttemptOutcome)
        /// Runs for `duration` (real time), then ends with `outcome`; a cancel ends it as `.cancelled`.
        case sleep(Duration, then: AttemptOutcome)
        /// Runs until the engine cancels it (or `release(_:)` is called), then ends `.cancelled`
        /// (or with the released outcome).
        case hold
        /// Cannot be started: `onStart` is not called.
        case couldNotStart(String)
        /// Waits, before any process exists (`onStart` is never called), until cancelled, then
        /// ends `.cancelled`: what a real executor does when the run stops as it is about to start.
        case cancelledBeforeStart

        /// Exits with `code`.
        public static func exit(_ code: Int32) -> Step { .outcome(.exited(code: code)) }
    }

    /// One launch the engine asked for.
    public struct Launch: Sendable, Hashable {
        public let task: String
        public let attempt: Int
        public let launch: AttemptLaunch
    }

    private struct State {
        var scripts: [String: [Step]] = [:]
        var launches: [Launch] = []
        var running = 0
        var maxRunning = 0
        var held: [String: CheckedContinuation<AttemptOutcome, Never>] = [:]
        var releasedEarly: [String: AttemptOutcome] = [:]
        var nextPID: Int32 = 100_000
    }

    private let state = Mutex(State())

    public init() {}

    /// Sets the steps of `task`'s attempts in order; attempts past the list succeed.
    public func script(_ task: String, _ steps: Step...) {
        state.withLock { $0.scripts[task] = steps }
    }

    /// Every launch so far, in the order they reached the executor.
    public var launches: [Launch] { state.withLock { $0.launches } }

    /// The launches of one task, in order.
    public func launches(of task: String) -> [Launch] { launches.filter { $0.task == task } }

    /// The most attempts that were running at the same time.
    public var maxRunning: Int { state.withLock { $0.maxRunning } }

    /// Attempts running now.
    public var running: Int { state.withLock { $0.running } }

    /// Ends a `.hold` attempt of `task` with `outcome` (now, or as soon as it starts).
    public func release(_ task: String, with outcome: AttemptOutcome = .exited(code: 0)) {
        let waiter = state.withLock { state -> CheckedContinuation<AttemptOutcome, Never>? in
            if let waiter = state.held.removeValue(forKey: task) { return waiter }
            state.releasedEarly[task] = outcome
            return nil
        }
        waiter?.resume(returning: outcome)
    }

    public func run(
        _ launch: AttemptLaunch, gate: any LaunchGate, onStart: @Sendable (StartedProcess) -> Void
    ) async -> AttemptOutcome {
        let task = launch.identity.task, attempt = launch.identity.attempt
        let (step, pid) = state.withLock { state -> (Step, Int32) in
            state.launches.append(Launch(task: task, attempt: attempt, launch: launch))
            state.nextPID += 1
            let steps = state.scripts[task] ?? []
            let index = state.launches.filter { $0.task == task }.count - 1
            return (index < steps.count ? steps[index] : .outcome(.exited(code: 0)), state.nextPID)
        }
        if Task.isCancelled { return .cancelled }
        if case .couldNotStart(let reason) = step { return .couldNotStart(reason: reason) }
        if case .cancelledBeforeStart = step {
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            return .cancelled
        }
        // As a real executor: no process before the engine's gate opens.
        guard await gate.mayStart(), !Task.isCancelled else { return .cancelled }

        state.withLock { state in
            state.running += 1
            state.maxRunning = max(state.maxRunning, state.running)
        }
        defer { state.withLock { $0.running -= 1 } }
        onStart(StartedProcess(pid: pid, pgid: pid))

        switch step {
        case .outcome(let outcome):
            return outcome
        case let .sleep(duration, outcome):
            do {
                try await Task.sleep(for: duration)
                return outcome
            } catch {
                return .cancelled
            }
        case .hold:
            return await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let early = state.withLock { state -> AttemptOutcome? in
                        if let outcome = state.releasedEarly.removeValue(forKey: task) { return outcome }
                        state.held[task] = continuation
                        return nil
                    }
                    if let early { continuation.resume(returning: early) }
                }
            } onCancel: {
                let waiter = state.withLock { $0.held.removeValue(forKey: task) }
                waiter?.resume(returning: .cancelled)
            }
        case .couldNotStart, .cancelledBeforeStart:
            preconditionFailure("handled before onStart")
        }
    }
}
