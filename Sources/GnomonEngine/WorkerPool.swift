import GnomonCore
import Synchronization

/// The global bound on attempts running at once across every run of a process.
///
/// A lock, not an actor: taking a free slot and giving one back never suspend, so a task's
/// launch costs no extra hop between threads (the exit-to-next-start latency is measured in
/// Docs/performance.md). Only a task that finds every slot busy waits. A waiter that is cancelled
/// before it gets a slot leaves the queue and throws `CancellationError`; a task waiting for a
/// retry holds no slot.
public final class WorkerPool: Sendable {
    public let width: Int

    fileprivate struct State {
        var inUse = 0
        var nextID: UInt64 = 0
        /// Waiters by id in arrival order: handing a slot on and leaving the queue are O(1), with a
        /// hundred thousand attempts of one run waiting.
        var waiters = KeyedQueue<UInt64, CheckedContinuation<Void, any Error>>()
        /// Waiters cancelled before they were queued (the cancellation handler ran first).
        var cancelledEarly: Set<UInt64> = []
    }

    private let state = Mutex(State())

    public init(width: Int) {
        self.width = max(1, width)
    }

    /// Takes a free slot at once, or waits for one.
    public func acquire() async throws {
        try Task.checkCancellation()
        let id: UInt64? = state.withLock { state in
            if state.inUse < width {
                state.inUse += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if state.cancelledEarly.remove(id) != nil { return true }
                    // A slot may have been given back between the check above and now.
                    if state.inUse < width {
                        state.inUse += 1
                        continuation.resume()
                        return false
                    }
                    state.waiters.append(id, continuation)
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                if let waiter = state.waiters.remove(id) { return waiter }
                state.cancelledEarly.insert(id)
                return nil
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Gives a slot back, handing it straight to the longest waiter.
    public func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if let waiter = state.waiters.next() { return waiter.value }
            state.inUse -= 1
            return nil
        }
        next?.resume()
    }

    /// Slots in use now.
    public var busy: Int { state.withLock { $0.inUse } }
}
