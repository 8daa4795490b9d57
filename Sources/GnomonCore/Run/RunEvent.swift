import Foundation

/// Something that happened to a run, fed to `RunMachine.handle`.
public enum RunEvent: Sendable, Hashable {
    /// An attempt of `task` ended with `outcome`.
    case attemptFinished(task: String, attempt: Int, outcome: AttemptOutcome)
    /// The retry wait of `task` is over.
    case retryDue(task: String)
    /// Someone asked for the run to stop (`gnomon kill`, Ctrl-C, a replacing run, a shutdown).
    case cancel(reason: String)
    /// The run's own `timeout` passed.
    case deadlinePassed
    /// The runner is shutting down: start nothing new; running attempts end (or are killed as
    /// `.interrupted`) and the run is left unfinished for the next runner to continue.
    case drain
    /// The list of the foreach task `task` was read: one instance for each of `items`.
    case fannedOut(task: String, items: [String])
    /// The list of the foreach task `task` could not be used (not a JSON array of scalars, or
    /// longer than its limit): the task fails with `reason`.
    case fanOutFailed(task: String, reason: String)
}

/// Something the runner must do for a run, returned by `RunMachine`.
public enum RunAction: Sendable, Hashable {
    /// Start attempt `attempt` (1-based) of `task` as soon as a worker slot is free.
    case launch(task: String, attempt: Int)
    /// Stop the running attempt of `task` (its outcome comes back as an `attemptFinished` event).
    case kill(task: String)
    /// Deliver `.retryDue(task)` at `at`.
    case wakeForRetry(task: String, at: Date)
    /// Record a task's new status.
    case recordTask(task: String, status: TaskStatus, reason: String?, retryAt: Date?)
    /// Record the run's new status. A finished status is the last action for the run.
    case recordRun(status: RunStatus, reason: String?)
    /// Draining is complete: nothing runs; the run stays unfinished for the next runner.
    case suspended
    /// Read the list of the foreach task `task` and answer with `.fannedOut` or `.fanOutFailed`.
    case fanOut(task: String)
    /// Record the instances of the foreach task `task`, one for each of `items` (named
    /// `task[0]`, `task[1]`, ...), before any of them is launched.
    case recordInstances(task: String, items: [String])
}
