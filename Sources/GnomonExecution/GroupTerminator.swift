import Dispatch
import Glibc
import Synchronization

/// The kill sequence of one process group: SIGTERM, a grace period, then SIGKILL.
///
/// ``stop(because:)`` may be called from any thread (a timer, a cancellation handler); only the
/// first call acts. The SIGKILL after the grace is a Dispatch timer, so no thread waits and a
/// cancelled Swift task cannot cut the grace short.
final class GroupTerminator: Sendable {
    /// Why a process group was stopped.
    enum Reason: Sendable, Hashable {
        case timedOut
        case cancelled
    }

    private enum State {
        case running
        case stopping(Reason)
        case finished(Reason?)
    }

    private let pgid: Int32
    private let grace: Duration
    private let state = Mutex(State.running)

    init(pgid: Int32, grace: Duration) {
        self.pgid = pgid
        self.grace = grace
    }

    /// Sends SIGTERM to the group now and SIGKILL after the grace, unless it already ended.
    func stop(because reason: Reason) {
        let first = state.withLock { state -> Bool in
            guard case .running = state else { return false }
            state = .stopping(reason)
            return true
        }
        guard first else { return }
        killProcessGroup(pgid, signal: SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace.dispatchInterval) { [self] in
            let stillStopping = state.withLock { state -> Bool in
                if case .stopping = state { return true }
                return false
            }
            if stillStopping { killProcessGroup(pgid, signal: SIGKILL) }
        }
    }

    /// Marks the group's leader as reaped; later ``stop(because:)`` calls do nothing.
    /// - Returns: why it was stopped, or `nil` if it ended by itself.
    func finish() -> Reason? {
        state.withLock { state -> Reason? in
            let reason: Reason?
            switch state {
            case .running: reason = nil
            case .stopping(let why): reason = why
            case .finished(let why): reason = why
            }
            state = .finished(reason)
            return reason
        }
    }
}

extension Duration {
    /// The duration as a Dispatch interval in nanoseconds, clamped to zero and to about 292 years.
    var dispatchInterval: DispatchTimeInterval {
        .nanoseconds(Int(clampedNanoseconds))
    }

    /// The duration in nanoseconds, clamped to zero and to about 292 years.
    var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let limit = Int64.max / 1_000_000_000 - 1
        return min(seconds, limit) * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
