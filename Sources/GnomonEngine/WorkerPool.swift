/// The global bound on attempts running at once across every run of a process.
///
/// A waiter that is cancelled before it gets a slot leaves the queue and throws
/// `CancellationError`; a task waiting for a retry holds no slot.
public actor WorkerPool {
    public let width: Int
    private var inUse = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    public init(width: Int) {
        self.width = max(1, width)
    }

    /// Waits for a free slot and takes it.
    public func acquire() async throws {
        try Task.checkCancellation()
        if inUse < width {
            inUse += 1
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append((id, continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Gives a slot back, handing it straight to the longest waiter.
    public func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    /// Slots in use now.
    public var busy: Int { inUse }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
