import Glibc
import Synchronization

/// Stops one attempt's container by name: `stop -t GRACE`, then `rm -f`.
///
/// ``stop(because:)`` may be called from any thread (a timer, a cancellation handler); only the
/// first call acts. Signals to the runtime's CLI do not stop a container, so the stop goes
/// through the runtime by name. The CLI command the attempt is waiting on at that moment is
/// interrupted too: a `create` (which may be pulling) is cancelled at once, and an attached
/// `start` is killed once the container is gone, in case the runtime did not end it.
final class ContainerStopper: AttemptStopper {
    private struct State {
        var reason: StopReason?
        var finished = false
        var sequence: Task<Void, Never>?
        /// The `create` command in progress.
        var creation: Task<Result<CapturedOutput, SpawnError>, Never>?
        /// The attached CLI's process group while it has not been reaped.
        var attachedGroup: Int32?
    }

    private let cli: ContainerCLI
    let name: String
    private let grace: Duration
    private let state = Mutex(State())

    init(cli: ContainerCLI, name: String, grace: Duration) {
        self.cli = cli
        self.name = name
        self.grace = grace
    }

    /// Whether a stop has been asked for.
    var isStopping: Bool {
        state.withLock { $0.reason != nil }
    }

    /// Starts the stop sequence, unless one already started or the attempt has finished.
    func stop(because reason: StopReason) {
        state.withLock { state in
            guard state.reason == nil, !state.finished else { return }
            state.reason = reason
            state.creation?.cancel()
            state.sequence = Task { [cli, name, grace] in
                await cli.stop(name, grace: grace)
                await cli.remove(name)
                self.killAttachedGroup()
            }
        }
    }

    /// Records the `create` command in progress (nil once it ended); cancelled at once if a stop
    /// was already asked for.
    func track(creation: Task<Result<CapturedOutput, SpawnError>, Never>?) {
        state.withLock { state in
            state.creation = creation
            if state.reason != nil { creation?.cancel() }
        }
    }

    /// Records the attached CLI's process group (nil once it has been reaped).
    func track(attachedGroup: Int32?) {
        state.withLock { $0.attachedGroup = attachedGroup }
    }

    /// Ends the stopper: waits for a stop sequence in progress, and says why the container was
    /// stopped (nil if it was not). Later ``stop(because:)`` calls do nothing.
    func finish() async -> StopReason? {
        let (reason, sequence) = state.withLock { state -> (StopReason?, Task<Void, Never>?) in
            state.finished = true
            return (state.reason, state.sequence)
        }
        await sequence?.value
        return reason
    }

    private func killAttachedGroup() {
        // Under the lock, so no signal goes out once the attempt has collected the CLI's exit.
        state.withLock { state in
            if let group = state.attachedGroup { killProcessGroup(group, signal: SIGKILL) }
        }
    }
}
