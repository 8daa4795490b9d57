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
}
