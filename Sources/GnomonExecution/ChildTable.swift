import CGnomonSpawn
import Glibc
import Synchronization

/// The children of the Gnomon process and their exits.
///
/// Each child gets a pidfd, watched by the ``ProcessLoop``: when the child exits, the loop
/// reaps exactly that pid and hands its status to the task waiting for it, or keeps it until one
/// arrives (a child may exit before anyone waits for it). A child exiting before it is registered
/// needs no special case: its pidfd is readable from the start, and its pid cannot be reused
/// before it is reaped. Children started some other way are never reaped here.
final class ChildTable: Sendable {
    private enum Entry {
        /// Spawned, not yet reaped, nobody waiting.
        case running
        /// Spawned, not yet reaped, a task waiting.
        case waiting(CheckedContinuation<ProcessTermination, Never>)
        /// Reaped before anyone asked.
        case exited(ProcessTermination)
    }

    private let entries = Mutex<[Int32: Entry]>([:])
    private let loop: ProcessLoop

    init(loop: ProcessLoop = .shared) {
        self.loop = loop
    }

    /// Runs `spawn` and, if it returns a pid, watches that child.
    ///
    /// When the child cannot be watched (no descriptor left for its pidfd), it is killed and
    /// reaped at once and `couldNotWatch` says why: a child nobody can wait for must not run.
    func register<E: Error>(
        _ spawn: () throws(E) -> Int32, couldNotWatch: (Int32) -> E
    ) throws(E) -> Int32 {
        let pid = try spawn()
        let pidfd = gnomon_pidfd_open(pid)
        var code = errno
        if pidfd >= 0 {
            entries.withLock { $0[pid] = .running }
            let watching = loop.watch(pidfd) { [self] in
                let status = ProcessTermination(waitStatus: gnomon_reap(pid))
                close(pidfd)
                deliver(pid: pid, status: status)
            }
            if watching { return pid }
            code = errno
            close(pidfd)
            entries.withLock { $0[pid] = nil }
        }
        kill(pid, SIGKILL)
        _ = gnomon_reap(pid)
        throw couldNotWatch(code)
    }

    /// Waits until the child `pid` has been reaped; each pid may be waited for once.
    func waitForExit(of pid: Int32) async -> ProcessTermination {
        await withCheckedContinuation { continuation in
            let status = entries.withLock { entries -> ProcessTermination? in
                switch entries[pid] {
                case .exited(let status):
                    entries[pid] = nil
                    return status
                case .running:
                    entries[pid] = .waiting(continuation)
                    return nil
                case .waiting:
                    preconditionFailure("process \(pid) is already being waited for; wait for each child once")
                case nil:
                    preconditionFailure("process \(pid) was not spawned by ProcessSpawner or was already waited for")
                }
            }
            if let status { continuation.resume(returning: status) }
        }
    }

    /// Whether `pid` is a child that has not exited. A child that has exited but is not reaped
    /// yet (the loop is busy) counts as exited.
    func isRunning(_ pid: Int32) -> Bool {
        let unreaped = entries.withLock { entries -> Bool in
            switch entries[pid] {
            case .running, .waiting: return true
            case .exited, nil: return false
            }
        }
        return unreaped && gnomon_child_has_exited(pid) == 0
    }

    private func deliver(pid: Int32, status: ProcessTermination) {
        let waiter = entries.withLock { entries -> CheckedContinuation<ProcessTermination, Never>? in
            guard case .waiting(let continuation) = entries[pid] else {
                entries[pid] = .exited(status)
                return nil
            }
            entries[pid] = nil
            return continuation
        }
        waiter?.resume(returning: status)
    }
}
