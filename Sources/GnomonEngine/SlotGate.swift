import GnomonExecution
import Synchronization

/// An attempt's way from preparing to running: it holds a staging slot while it prepares, takes a
/// worker slot at the executor's gate (giving the staging slot back), then waits until the
/// changes that made its task ready are committed.
///
/// ``finish()`` gives back whichever slot the attempt still holds, once it has ended.
final class SlotGate: LaunchGate {
    private enum Held { case staging, worker, nothing }

    private let pool: WorkerPool
    private let staging: WorkerPool
    private let committed: RunRecorder.Gate
    private let held = Mutex(Held.staging)

    /// - Precondition: the caller holds a slot of `staging`.
    init(pool: WorkerPool, staging: WorkerPool, committed: RunRecorder.Gate) {
        self.pool = pool
        self.staging = staging
        self.committed = committed
    }

    func mayStart() async -> Bool {
        do {
            try await pool.acquire()
        } catch {
            return false
        }
        held.withLock { $0 = .worker }
        staging.release()
        return await committed.mayStart()
    }

    /// Gives back the slot still held: the worker slot, or the staging slot of an attempt that
    /// ended before its gate (it could not be prepared).
    func finish() {
        let slot = held.withLock { held -> Held in
            defer { held = .nothing }
            return held
        }
        switch slot {
        case .staging: staging.release()
        case .worker: pool.release()
        case .nothing: break
        }
    }
}
