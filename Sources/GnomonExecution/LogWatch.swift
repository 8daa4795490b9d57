import CGnomonSpawn
import Dispatch
import Glibc
import GnomonCore
import Synchronization

/// Keeps growing attempt logs within their `log_limit` while their tasks write into them directly
/// (Docs/execution.md, *Bounded logs*).
///
/// A task's output goes straight into its log: no pipe, no byte passes through Gnomon. The watch
/// looks at each watched log's size from one Dispatch queue: 10 ms after the attempt starts, then
/// twice as long after each look that finds the log far from its limit, up to every second, and
/// every 10 ms again while it nears or passes the limit. Past the limit it frees the middle of
/// the file (`fallocate(PUNCH_HOLE)`, in whole 4 KiB blocks): the file keeps its first half-limit
/// and its last half-limit of data, with a hole between that takes no disk. Readers skip the hole
/// (``AttemptLogReader``). Once the attempt has ended, ``AttemptLog/compact(_:limit:)`` rewrites
/// the log as its head, one line saying how much was dropped, and its tail.
///
/// Watching costs an attempt a lock and a dictionary entry; an attempt shorter than 10 ms is
/// never looked at. The whole watch wakes at most once per 10 ms whatever the number of attempts.
final class LogWatch: Sendable {
    /// The watch of the Gnomon process.
    static let shared = LogWatch()

    /// One watched log.
    struct Token: Hashable, Sendable {
        fileprivate let id: Int
    }

    /// The shortest time between two looks at a log: a task writing 1 GB/s passes its limit by
    /// at most about 10 MB before its middle is freed.
    static let shortestInterval: UInt64 = 10_000_000
    /// The longest time between two looks at a log that is far from its limit.
    static let longestInterval: UInt64 = 1_000_000_000
    /// Holes are punched in blocks of this size (ext4's, XFS's and tmpfs's page size): a partial
    /// block would be zeroed, not freed.
    static let block: Int64 = 4096

    private struct Entry {
        let path: String
        let limit: LogLimit
        let onLimit: @Sendable () -> Void
        var nextCheck: UInt64
        var interval = LogWatch.shortestInterval
        var lastSize: Int64 = 0
        /// Where the freed middle ends so far (0 while nothing was freed).
        var freedTo: Int64 = 0
        var told = false
        var canPunch = true
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var nextID = 0
        /// When the pending look is due, if one is.
        var armedFor: UInt64?
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "gnomon.log-watch")

    /// Starts watching the log at `path`; `onLimit` is called once when it passes a limit whose
    /// action is `fail`.
    func watch(_ path: String, limit: LogLimit, onLimit: @escaping @Sendable () -> Void) -> Token {
        let due = DispatchTime.now().uptimeNanoseconds + Self.shortestInterval
        let (token, armed) = state.withLock { state -> (Token, Bool) in
            let id = state.nextID
            state.nextID += 1
            state.entries[id] = Entry(path: path, limit: limit, onLimit: onLimit, nextCheck: due)
            guard state.armedFor.map({ $0 > due }) ?? true else { return (Token(id: id), false) }
            state.armedFor = due
            return (Token(id: id), true)
        }
        if armed { arm(at: due) }
        return token
    }

    /// Stops watching; after it returns the watch never touches the file again.
    /// - Returns: whether the log is past its limit (it then needs ``AttemptLog/compact(_:limit:)``).
    func end(_ token: Token) -> Bool {
        guard let entry = state.withLock({ $0.entries.removeValue(forKey: token.id) }) else { return false }
        var info = stat()
        guard stat(entry.path, &info) == 0 else { return false }
        return Int64(info.st_size) > entry.limit.bytes
    }

    private func arm(at deadline: UInt64) {
        queue.asyncAfter(deadline: DispatchTime(uptimeNanoseconds: deadline)) { [self] in look() }
    }

    /// Looks at every log that is due, then arms the next look. File operations happen under the
    /// lock, so that ``end(_:)`` (which takes it) is never followed by one.
    private func look() {
        var stops: [@Sendable () -> Void] = []
        let next = state.withLock { state -> UInt64? in
            let now = DispatchTime.now().uptimeNanoseconds
            for id in state.entries.keys {
                guard var entry = state.entries[id], entry.nextCheck <= now else { continue }
                if Self.check(&entry) { stops.append(entry.onLimit) }
                entry.nextCheck = now + entry.interval
                state.entries[id] = entry
            }
            state.armedFor = state.entries.values.map(\.nextCheck).min()
            return state.armedFor
        }
        if let next { arm(at: next) }
        for stop in stops { stop() }
    }

    /// One look at one log: frees its middle past the limit and sets when to look again.
    /// - Returns: whether the attempt must now be stopped (`log_limit_action: fail`).
    private static func check(_ entry: inout Entry) -> Bool {
        var info = stat()
        guard stat(entry.path, &info) == 0 else {
            entry.interval = longestInterval
            return false
        }
        let size = Int64(info.st_size)
        let grew = size - entry.lastSize
        entry.lastSize = size
        let slower = min(entry.interval * 2, longestInterval)
        guard size > entry.limit.bytes else {
            // Near the limit at the pace of the last interval: look often.
            let near = grew > 0 && (entry.limit.bytes - size) / grew < 4
            entry.interval = near ? shortestInterval : slower
            return false
        }
        entry.interval = grew > 0 ? shortestInterval : slower
        freeMiddle(&entry, size: size)
        guard entry.limit.action == .fail, !entry.told else { return false }
        entry.told = true
        return true
    }

    /// Punches out the blocks between the log's head and its tail that are not freed yet.
    private static func freeMiddle(_ entry: inout Entry, size: Int64) {
        guard entry.canPunch else { return }
        let start = max(roundUp(entry.limit.headBytes), entry.freedTo)
        let end = (size - entry.limit.tailBytes) / block * block
        guard end > start else { return }
        let descriptor = open(entry.path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        if gnomon_punch_hole(descriptor, start, end - start) == 0 {
            entry.freedTo = end
        } else if errno == EOPNOTSUPP {
            // This file system cannot free a range: the log is bounded only when the attempt ends.
            entry.canPunch = false
        }
    }

    private static func roundUp(_ offset: Int64) -> Int64 {
        (offset + block - 1) / block * block
    }
}
