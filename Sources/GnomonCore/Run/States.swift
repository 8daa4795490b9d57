/// The stable states and outcomes that runs, tasks and attempts are recorded with.
///
/// Raw values are persisted: never rename one, only add.

/// Where a whole run stands.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Created, no task started yet.
    case queued
    case running
    /// Every task succeeded.
    case succeeded
    /// At least one task failed or was skipped, or the run's timeout passed.
    case failed
    /// Stopped by a kill, Ctrl-C, a replacing run or a shutdown.
    case cancelled

    public var isFinished: Bool {
        switch self {
        case .succeeded, .failed, .cancelled: return true
        case .queued, .running: return false
        }
    }
}

/// Where one task of a run stands.
public enum TaskStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Its upstream tasks have not all finished.
    case waiting
    /// Ready, waiting for a worker slot.
    case ready
    case running
    /// Failed, waiting until a given time to be tried again.
    case retrying
    case succeeded
    /// Failed with no retry left (or none allowed for its exit code).
    case failed
    /// Never ran: a required upstream failed or was skipped, or it was left out by `--task`.
    case skipped
    /// Stopped or never started because the run was cancelled or timed out.
    case cancelled

    public var isFinished: Bool {
        switch self {
        case .succeeded, .failed, .skipped, .cancelled: return true
        case .waiting, .ready, .running, .retrying: return false
        }
    }
}

/// How a run came to be.
public enum RunTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fired by the schedule at its time.
    case schedule
    /// Fired late for a time missed while the daemon was down.
    case catchup
    /// Asked for: `gnomon run` or `gnomon trigger`.
    case manual
    /// Created by `gnomon backfill` for a past fire time.
    case backfill
}

/// How one attempt of a task ended. A non-zero exit is an outcome, not an error.
public enum AttemptOutcome: Sendable, Hashable, Codable {
    case exited(code: Int32)
    case signalled(signal: Int32)
    /// The task's timeout passed; its process group was terminated.
    case timedOut
    /// Killed because the run was cancelled or its deadline passed.
    case cancelled
    /// The process (or container) could not be started at all.
    case couldNotStart(reason: String)
    /// The runner died while the attempt ran; found again at recovery.
    case lost
    /// Stopped by a shutdown of the runner; retried when it starts again.
    case interrupted
    /// The container was killed for using more memory than its limit.
    case outOfMemory
    /// The task exited 0 but its output file (`GNOMON_OUTPUT`) was refused: a malformed line or
    /// a limit passed, named in `reason`. Nothing it wrote is published.
    case outputRefused(reason: String)

    public var succeeded: Bool { self == .exited(code: 0) }

    /// The stable name recorded in the database and in JSON output.
    public var kind: String {
        switch self {
        case .exited: return "exited"
        case .signalled: return "signalled"
        case .timedOut: return "timed_out"
        case .cancelled: return "cancelled"
        case .couldNotStart: return "could_not_start"
        case .lost: return "lost"
        case .interrupted: return "interrupted"
        case .outOfMemory: return "out_of_memory"
        case .outputRefused: return "output_refused"
        }
    }

    /// A short human description, for example `exit 3` or `signal 9 (KILL)`.
    public var summary: String {
        switch self {
        case .exited(let code): return "exit \(code)"
        case .signalled(let signal): return "signal \(signal)"
        case .timedOut: return "timed out"
        case .cancelled: return "cancelled"
        case .couldNotStart(let reason): return "could not start: \(reason)"
        case .lost: return "lost (runner died)"
        case .interrupted: return "interrupted by shutdown"
        case .outOfMemory: return "killed: out of memory"
        case .outputRefused(let reason): return "exit 0 but its outputs were refused: \(reason)"
        }
    }
}
