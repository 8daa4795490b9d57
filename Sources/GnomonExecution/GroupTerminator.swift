import Dispatch
import Glibc
import Synchronization

/// The kill sequence of one process group: SIGTERM (SIGXFSZ for a log past its limit), a grace
/// period, then SIGKILL.
///
/// ``stop(because:)`` may be called from any thread (a timer, a cancellation handler); only the
/// first call acts, and not at all once the group's leader has exited (a process that ended
/// before its deadline keeps its own outcome, even if the task awaiting it has not run yet). A
/// stop asked for before the group exists (between the gate and the spawn) is remembered and
/// carried out by ``track(group:)``. The SIGKILL after the grace is a Dispatch timer, so no thread
/// waits and a cancelled Swift task cannot cut the grace short.
final class GroupTerminator: AttemptStopper {
    private enum State {
        case running
        case stopping(StopReason)
        case finished(StopReason?)
    }

    private struct Guarded {
        var state = State.running
        /// The group, once its leader exists.
        var group: Int32?
    }

    private let grace: Duration
    private let spawner: ProcessSpawner
    private let guarded: Mutex<Guarded>

    /// - Parameter pgid: the group, if it exists already; else give it to ``track(group:)``.
    init(pgid: Int32? = nil, grace: Duration, spawner: ProcessSpawner = .shared) {
        self.grace = grace
        self.spawner = spawner
        self.guarded = Mutex(Guarded(group: pgid))
    }

    /// The process group, once its leader exists.
    var group: Int32? {
        guarded.withLock { $0.group }
    }

    /// Records the group (its leader's pid) once it exists; a stop asked for before is sent now.
    func track(group pgid: Int32) {
        let pending = guarded.withLock { guarded -> StopReason? in
            guarded.group = pgid
            if case .stopping(let reason) = guarded.state { return reason }
            return nil
        }
        if let pending { signal(pending.firstSignal) }
    }

    /// Sends SIGTERM to the group now and SIGKILL after the grace, unless it already ended.
    func stop(because reason: StopReason) {
        let send = guarded.withLock { guarded -> Bool? in
            guard case .running = guarded.state else { return nil }
            if let group = guarded.group, spawner.hasExited(group) { return nil }
            guarded.state = .stopping(reason)
            return guarded.group != nil
        }
        if send == true { signal(reason.firstSignal) }
    }

    /// `first` (SIGTERM, or SIGXFSZ for a log past its limit) now, SIGKILL after the grace if the
    /// leader has not been reaped by then.
    private func signal(_ first: Int32) {
        guard let pgid = group else { return }
        killProcessGroup(pgid, signal: first)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace.dispatchInterval) { [self] in
            let stillStopping = guarded.withLock { guarded -> Bool in
                if case .stopping = guarded.state { return true }
                return false
            }
            if stillStopping { killProcessGroup(pgid, signal: SIGKILL) }
        }
    }

    /// Marks the group's leader as reaped (or never created); later ``stop(because:)`` calls do
    /// nothing.
    /// - Returns: why it was stopped, or `nil` if it ended by itself.
    func finish() -> StopReason? {
        guarded.withLock { guarded -> StopReason? in
            let reason: StopReason?
            switch guarded.state {
            case .running: reason = nil
            case .stopping(let why): reason = why
            case .finished(let why): reason = why
            }
            guarded.state = .finished(reason)
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
