import GnomonCore
import Glibc

/// Why Gnomon stopped an attempt before it ended by itself.
enum StopReason: Sendable, Hashable {
    /// Its deadline passed.
    case timedOut
    /// The engine cancelled it (a kill, a failed dependency's run cancelled, a shutdown).
    case cancelled
    /// Its log passed its `log_limit` under `log_limit_action: fail`.
    case logLimit

    /// The outcome of an attempt stopped for this reason.
    var outcome: AttemptOutcome {
        switch self {
        case .timedOut: return .timedOut
        case .cancelled: return .cancelled
        case .logLimit: return .signalled(signal: SIGXFSZ)
        }
    }

    /// The signal that starts the stop of a process group: SIGTERM, or SIGXFSZ ("file size limit
    /// exceeded", the kernel's own signal for a file grown past its limit) for a log too large.
    var firstSignal: Int32 {
        self == .logLimit ? SIGXFSZ : SIGTERM
    }
}

/// Stops one attempt, however it runs: a process group's kill sequence, a container's stop.
///
/// ``stop(because:)`` may be called from any thread (the deadline timer, a cancellation
/// handler); only the first call acts.
protocol AttemptStopper: Sendable {
    /// Starts stopping the attempt, unless a stop already started or the attempt has finished.
    func stop(because reason: StopReason)
    /// Ends the stopper once the attempt has ended: waits for a stop in progress and says why the
    /// attempt was stopped (`nil` if it was not). Later ``stop(because:)`` calls do nothing.
    func finish() async -> StopReason?
}
