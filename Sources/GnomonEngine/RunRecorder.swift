import Dispatch
import GnomonExecution
import GnomonStore
import Synchronization

/// Commits one run's changes in the order they are handed over, in as few transactions as the
/// timing allows (group commit), without a thread of its own.
///
/// Whoever commits while no one else is writing becomes the writer: it writes everything queued,
/// its own changes and those others queue meanwhile, one transaction per batch, until the queue is
/// empty. The others only queue and return. The run loop queues an event's changes, starts the
/// attempts the event allows, and asks for a commit within a short delay; each attempt prepares
/// its launch meanwhile and, at its ``gate()``, commits what is still queued before it (or waits
/// for the writer that has taken it). So no process exists before its task's readiness is
/// recorded, a launch never waits for the delay, and a task made ready while earlier ones still
/// wait for a worker slot costs no transaction of its own: its readiness rides with the next one.
///
/// A write that fails because the disk is full is tried again every second with everything queued
/// since, until it succeeds: no fact is lost, and nothing starts meanwhile (the gates wait). After
/// any other failed write nothing more is written (the run is being cancelled for it), every gate
/// stays closed, and `onFailure` is called once with the store's message.
final class RunRecorder: Sendable {
    private struct State {
        var queue: [StoreChange] = []
        /// Batches queued so far and the last one committed (a batch is one `enqueue`).
        var queued: UInt64 = 0
        var committed: UInt64 = 0
        var writing = false
        var failed = false
        /// A write found the disk full; the retry is scheduled.
        var waitingForSpace = false
        /// A commit is scheduled (``commit(within:)``).
        var timerArmed = false
        var gates: [(through: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// How long a write that found the disk full waits before it is tried again.
    static let diskFullRetry = DispatchTimeInterval.seconds(1)

    private let store: GnomonStore
    private let onFailure: @Sendable (String) -> Void
    private let state = Mutex(State())

    init(store: GnomonStore, onFailure: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.onFailure = onFailure
    }

    /// Whether a write has failed (nothing is recorded any more).
    var hasFailed: Bool { state.withLock { $0.failed } }

    /// Queues changes to commit after everything queued before them; writes nothing yet.
    func enqueue(_ changes: [StoreChange]) {
        guard !changes.isEmpty else { return }
        state.withLock { state in
            guard !state.failed else { return }
            state.queue += changes
            state.queued += 1
        }
    }

    /// Queues changes to ride along with the run's next commit, and commits them after `delay`
    /// at the latest when nothing else has. An attempt's start uses it: the event that follows
    /// (usually the end of another attempt) commits it in the same transaction.
    func enqueue(_ changes: [StoreChange], commitWithin delay: Duration) {
        enqueue(changes)
        commit(within: delay)
    }

    /// Commits what is queued after `delay` at the latest (sooner if anyone commits before).
    func commit(within delay: Duration) {
        let arm = state.withLock { state -> Bool in
            guard !state.timerArmed, !state.failed else { return false }
            state.timerArmed = true
            return true
        }
        guard arm else { return }
        // Timed by the process loop (arming it there wakes no thread); written on a Dispatch
        // thread, off the loop.
        ProcessLoop.shared.after(delay) { [self] in
            DispatchQueue.global().async { [self] in
                state.withLock { $0.timerArmed = false }
                commit()
            }
        }
    }

    /// Commits everything queued, unless another thread is writing (it will take the queue too).
    func commit() {
        let write = state.withLock { state -> Bool in
            guard !state.writing, !state.waitingForSpace, !state.queue.isEmpty, !state.failed else { return false }
            state.writing = true
            return true
        }
        guard write else { return }
        while let batch = takeBatch() {
            do {
                try store.record(batch.changes)
            } catch StoreError.diskFull {
                retryWhenSpace(batch.changes)
                return
            } catch {
                fail()
                onFailure("\(error)")
                return
            }
            settle(committed: batch.through)
        }
    }

    /// Puts a batch the full disk refused back at the head of the queue and tries again later.
    private func retryWhenSpace(_ changes: [StoreChange]) {
        state.withLock { state in
            state.queue = changes + state.queue
            state.writing = false
            state.waitingForSpace = true
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.diskFullRetry) { [self] in
            state.withLock { $0.waitingForSpace = false }
            commit()
        }
    }

    /// A gate that opens once everything queued until now is committed.
    func gate() -> Gate {
        Gate(recorder: self, through: state.withLock { $0.queued })
    }

    /// Waits until everything queued is committed, or the recorder has failed.
    func idle() async {
        commit()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.failed || (!state.writing && state.queue.isEmpty) { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// The writer's next batch; `nil` (and the writer's role given up, in the same lock) when the
    /// queue is empty, so a change queued at that moment is never left without a writer.
    private func takeBatch() -> (changes: [StoreChange], through: UInt64)? {
        let (batch, idle) = state.withLock { state -> ((changes: [StoreChange], through: UInt64)?, [CheckedContinuation<Void, Never>]) in
            if state.queue.isEmpty || state.failed {
                state.writing = false
                var idle: [CheckedContinuation<Void, Never>] = []
                swap(&idle, &state.idleWaiters)
                return (nil, idle)
            }
            defer { state.queue = [] }
            return ((state.queue, state.queued), [])
        }
        for waiter in idle { waiter.resume() }
        return batch
    }

    /// Records a committed batch and opens the gates it satisfies.
    private func settle(committed: UInt64) {
        let open = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.committed = committed
            var open: [CheckedContinuation<Bool, Never>] = []
            state.gates.removeAll { gate in
                guard gate.through <= committed else { return false }
                open.append(gate.continuation)
                return true
            }
            return open
        }
        for gate in open { gate.resume(returning: true) }
    }

    /// After a failed write: nothing more is written and every gate stays shut.
    private func fail() {
        let (shut, idle) = state.withLock { state in
            state.failed = true
            state.writing = false
            state.queue = []
            var shut: [CheckedContinuation<Bool, Never>] = []
            var idle: [CheckedContinuation<Void, Never>] = []
            swap(&idle, &state.idleWaiters)
            for gate in state.gates { shut.append(gate.continuation) }
            state.gates = []
            return (shut, idle)
        }
        for gate in shut { gate.resume(returning: false) }
        for waiter in idle { waiter.resume() }
    }

    fileprivate func wait(through: UInt64) async -> Bool {
        if let answer = state.withLock({ state -> Bool? in
            if state.failed { return false }
            return state.committed >= through ? true : nil
        }) {
            return answer
        }
        // Not committed yet: commit now, on this thread (or, if another thread is writing, wait
        // for it below; it takes everything queued).
        commit()
        return await withCheckedContinuation { continuation in
            let answer = state.withLock { state -> Bool? in
                if state.failed { return false }
                if state.committed >= through { return true }
                state.gates.append((through, continuation))
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Opens once the changes queued before it was made are committed; closed for good after a
    /// failed write.
    struct Gate: LaunchGate {
        fileprivate let recorder: RunRecorder
        fileprivate let through: UInt64

        func mayStart() async -> Bool {
            await recorder.wait(through: through)
        }
    }
}
