import Glibc

/// The children of the Gnomon process, and the one thread that reaps them.
///
/// The reaper blocks in `waitpid(-1)` while at least one child is running, and sleeps on a
/// condition variable while none is. Each reaped status goes to the continuation waiting for
/// that pid, or is kept until one arrives (a child may exit before anyone waits for it).
/// One lock guards everything. It is not held across a spawn, so spawns from several
/// threads run in parallel; a child reaped before its spawn call has registered it is parked in
/// `earlyExits` until the registration claims it (statuses nobody claims are dropped once no
/// spawn is in flight, so a stray child's status is never mistaken for a later child's).
final class ChildTable: @unchecked Sendable {
    private enum Entry {
        /// Spawned, not yet reaped, nobody waiting.
        case running
        /// Spawned, not yet reaped, a task waiting.
        case waiting(CheckedContinuation<ExitStatus, Never>)
        /// Reaped before anyone asked.
        case exited(ExitStatus)
    }

    // Guarded by `mutex` (pthread primitives: the reaper needs a condition variable).
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let childrenRunning: UnsafeMutablePointer<pthread_cond_t>
    private var entries: [Int32: Entry] = [:]
    /// Children counted in `unreaped`: registered and not yet collected.
    private var unreaped = 0
    /// Spawn calls between their start and their registration.
    private var inFlight = 0
    /// Statuses of pids the table did not know, reaped while a spawn was in flight.
    private var earlyExits: [Int32: ExitStatus] = [:]
    private var reaperStarted = false

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        childrenRunning = .allocate(capacity: 1)
        childrenRunning.initialize(to: pthread_cond_t())
        pthread_cond_init(childrenRunning, nil)
    }

    deinit {
        // The shared table lives as long as the process; a test-made one may go away.
        pthread_cond_destroy(childrenRunning)
        pthread_mutex_destroy(mutex)
        childrenRunning.deallocate()
        mutex.deallocate()
    }

    /// Runs `spawn` (outside the lock) and, if it returns a pid, records that child.
    func register<E: Error>(_ spawn: () throws(E) -> Int32) throws(E) -> Int32 {
        pthread_mutex_lock(mutex)
        startReaperIfNeeded()
        inFlight += 1
        pthread_mutex_unlock(mutex)

        let result = Result { () throws(E) -> Int32 in try spawn() }

        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        inFlight -= 1
        if case .success(let pid) = result {
            if let status = earlyExits.removeValue(forKey: pid) {
                entries[pid] = .exited(status)
            } else {
                entries[pid] = .running
                unreaped += 1
                if unreaped == 1 { pthread_cond_signal(childrenRunning) }
            }
        }
        if inFlight == 0 { earlyExits.removeAll() }
        return try result.get()
    }

    /// Waits until the reaper has collected `pid`; each pid may be waited for once.
    func waitForExit(of pid: Int32) async -> ExitStatus {
        await withCheckedContinuation { continuation in
            pthread_mutex_lock(mutex)
            switch entries[pid] {
            case .exited(let status):
                entries[pid] = nil
                pthread_mutex_unlock(mutex)
                continuation.resume(returning: status)
            case .running:
                entries[pid] = .waiting(continuation)
                pthread_mutex_unlock(mutex)
            case .waiting:
                pthread_mutex_unlock(mutex)
                preconditionFailure("process \(pid) is already being waited for; wait for each child once")
            case nil:
                pthread_mutex_unlock(mutex)
                preconditionFailure("process \(pid) was not spawned by ProcessSpawner or was already waited for")
            }
        }
    }

    /// Whether `pid` is a child that has not been reaped yet.
    func isRunning(_ pid: Int32) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        switch entries[pid] {
        case .running, .waiting: return true
        case .exited, nil: return false
        }
    }

    private func startReaperIfNeeded() {
        guard !reaperStarted else { return }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&thread, nil, { context in
            let table = Unmanaged<ChildTable>.fromOpaque(context!).takeRetainedValue()
            table.reapForever()
        }, context)
        precondition(result == 0, "could not start the process reaper thread: \(ErrnoText.describe(result))")
        pthread_detach(thread)
        reaperStarted = true
    }

    private func reapForever() -> Never {
        while true {
            pthread_mutex_lock(mutex)
            while unreaped == 0 { pthread_cond_wait(childrenRunning, mutex) }
            pthread_mutex_unlock(mutex)

            var status: Int32 = 0
            let pid = waitpid(-1, &status, 0)
            let waitError = errno
            if pid > 0 {
                deliver(pid: pid, status: ExitStatus(waitStatus: status))
            } else if waitError == ECHILD {
                // The kernel says there are no children, yet the table has some: someone else
                // reaped them. Release every waiter rather than block or spin forever.
                deliverToAllUnreaped(.unknown)
            }
            // EINTR: go round again.
        }
    }

    private func deliver(pid: Int32, status: ExitStatus) {
        pthread_mutex_lock(mutex)
        var waiter: CheckedContinuation<ExitStatus, Never>?
        switch entries[pid] {
        case .running:
            entries[pid] = .exited(status)
            unreaped -= 1
        case .waiting(let continuation):
            entries[pid] = nil
            unreaped -= 1
            waiter = continuation
        case .exited, nil:
            // Unknown: a child whose spawn call has not registered it yet, or a stray.
            if inFlight > 0 { earlyExits[pid] = status }
        }
        pthread_mutex_unlock(mutex)
        waiter?.resume(returning: status)
    }

    private func deliverToAllUnreaped(_ status: ExitStatus) {
        pthread_mutex_lock(mutex)
        var waiters: [CheckedContinuation<ExitStatus, Never>] = []
        for (pid, entry) in entries {
            switch entry {
            case .running: entries[pid] = .exited(status)
            case .waiting(let continuation):
                entries[pid] = nil
                waiters.append(continuation)
            case .exited: break
            }
        }
        unreaped = 0
        pthread_mutex_unlock(mutex)
        for waiter in waiters { waiter.resume(returning: status) }
    }
}
