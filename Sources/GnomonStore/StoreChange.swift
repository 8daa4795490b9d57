import Foundation
import GnomonCore

/// One change to a run, its tasks or its attempts; `GnomonStore.record` applies a batch atomically.
public enum StoreChange: Sendable, Hashable {
    /// Sets the run's status. Entering `running` sets `started_at` (if unset); a finished status sets
    /// `finished_at` (if unset); going back to an unfinished status clears `finished_at`.
    case runStatus(run: Int64, status: RunStatus, reason: String?, at: Date)
    /// Sets a task's status, reason and retry time (`retryAt` is kept only for `retrying`).
    case taskStatus(run: Int64, task: String, status: TaskStatus, reason: String?, retryAt: Date?, at: Date)
    /// Inserts attempt `number` (1-based) of a task and raises the task's attempt count to it.
    /// `slurmJob` is the id of the Slurm job it runs as ('' while not known), nil for any other.
    case attemptStarted(
        run: Int64, task: String, number: Int, at: Date, pid: Int32?, pgid: Int32?,
        containerName: String?, logPath: String, runnerInstance: String, slurmJob: String? = nil)
    /// Records how an attempt ended.
    case attemptFinished(run: Int64, task: String, number: Int, outcome: AttemptOutcome, at: Date)
    /// Records what a successful attempt wrote to `GNOMON_OUTPUT`. Queued in the same batch as its
    /// `attemptFinished` (after it), so both are in one transaction: an attempt recorded as
    /// succeeded always has its outputs.
    case attemptOutputs(run: Int64, task: String, number: Int, outputs: [String: String])
    /// Inserts the instances of the foreach task `task`, `task[0]`, `task[1]`, ... (one for each
    /// of `items`, in order), waiting, at the task's position.
    case instancesCreated(run: Int64, task: String, items: [String], at: Date)
    /// A runner takes over an existing run (`gnomon retry`, recovery): records its process and
    /// instance and clears any earlier cancel request, which was meant for the earlier execution.
    case runRunner(run: Int64, pid: Int32, instance: String)

    /// The run the change is about.
    public var run: Int64 {
        switch self {
        case .runStatus(let run, _, _, _), .taskStatus(let run, _, _, _, _, _),
             .attemptStarted(let run, _, _, _, _, _, _, _, _, _), .attemptFinished(let run, _, _, _, _), .runRunner(let run, _, _),
             .attemptOutputs(let run, _, _, _), .instancesCreated(let run, _, _, _):
            return run
        }
    }

    /// A short description used in error messages, e.g. `attemptStarted run 42 task load #2`.
    var label: String {
        switch self {
        case .runStatus(let run, let status, _, _):
            return "record run \(run) as \(status.rawValue)"
        case .taskStatus(let run, let task, let status, _, _, _):
            return "record run \(run) task \(task) as \(status.rawValue)"
        case .attemptStarted(let run, let task, let number, _, _, _, _, _, _, _):
            return "record the start of run \(run) task \(task) attempt \(number)"
        case .attemptFinished(let run, let task, let number, _, _):
            return "record the end of run \(run) task \(task) attempt \(number)"
        case .attemptOutputs(let run, let task, let number, let outputs):
            return "record the \(outputs.count) output(s) of run \(run) task \(task) attempt \(number)"
        case .instancesCreated(let run, let task, let items, _):
            return "record the \(items.count) instance(s) of run \(run) task \(task)"
        case .runRunner(let run, let pid, _):
            return "hand run \(run) to runner pid \(pid)"
        }
    }
}
