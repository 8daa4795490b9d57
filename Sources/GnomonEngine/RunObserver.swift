import Foundation
import GnomonCore

/// What a run tells whoever watches it (the CLI's progress display, the daemon's log).
public enum RunProgress: Sendable {
    case runStarted(run: Int64, job: String, tasks: Int)
    case attemptStarted(task: String, attempt: Int, pid: Int32?, at: Date)
    case attemptFinished(task: String, attempt: Int, outcome: AttemptOutcome, at: Date)
    case taskChanged(task: String, status: TaskStatus, reason: String?, retryAt: Date?)
    case runFinished(run: Int64, status: RunStatus, reason: String?, at: Date)
    /// The store could not record something; the run stops (nothing half-recorded is kept).
    case storeFailed(message: String)
}

/// Receives a run's progress; called from the run's own task, so keep it quick.
public protocol RunObserver: Sendable {
    func progress(_ event: RunProgress)
}

/// An observer that ignores everything.
public struct SilentObserver: RunObserver {
    public init() {}
    public func progress(_ event: RunProgress) {}
}
