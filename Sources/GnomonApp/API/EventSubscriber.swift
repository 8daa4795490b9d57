import Foundation
import GnomonStore
import Synchronization

/// Which events a client of `GET /api/v1/events` follows.
struct EventFilter: Sendable, Hashable {
    /// `run=ID` (may repeat).
    var runs: Set<Int64> = []
    /// `job=NAME` (may repeat).
    var jobs: Set<String> = []
    /// `logs=1`: also `log` messages when an attempt's log of a followed run grows.
    var logs = false

    /// Whether an event of `job` (and `run`) is followed: with neither `run` nor `job` given,
    /// everything is; otherwise what either names.
    func accepts(job: String, run: Int64?) -> Bool {
        if runs.isEmpty && jobs.isEmpty { return true }
        if let run, runs.contains(run) { return true }
        return jobs.contains(job)
    }
}

/// One client of the event stream: the messages waiting to be written to it, at most
/// ``EventHub/maxPendingBytes``, and the response body's wait for more.
///
/// A new client first catches up by itself, page by page from the store, as fast as it reads
/// (its `cursor` moves); once it reaches the hub's position it joins the hub, which appends what
/// the shared poller reads. A client that falls more than `maxPendingBytes` behind is cut off
/// (its stream ends); it reconnects with `Last-Event-ID` and catches up from the store again.
final class EventSubscriber: Sendable {
    let filter: EventFilter
    private struct State {
        var queue: [Data] = []
        var bytes = 0
        var waiter: CheckedContinuation<Data?, Never>?
        var closed = false
        /// The last event id this client has been given; fixed once it has joined the hub.
        var cursor: Int64
        var joined = false
    }

    private let state: Mutex<State>

    init(filter: EventFilter, cursor: Int64, greeting: Data) {
        self.filter = filter
        self.state = Mutex(State(queue: [greeting], bytes: greeting.count, cursor: cursor))
    }

    /// The last event id given before joining (the hub gives only later ones).
    var cursor: Int64 { state.withLock { $0.cursor } }
    var isClosed: Bool { state.withLock { $0.closed } }
    var hasJoined: Bool { state.withLock { $0.joined } }

    /// Records the catch-up's progress.
    func advance(to id: Int64) {
        state.withLock { $0.cursor = max($0.cursor, id) }
    }

    func markJoined() {
        state.withLock { $0.joined = true }
    }

    /// Queues `data` for the client; returns false when the client is closed, or has just been
    /// closed for being more than `limit` bytes behind (what it has not taken yet plus `data`;
    /// one chunk, at most a page of events, always fits in an empty queue).
    @discardableResult
    func append(_ data: Data, limit: Int) -> Bool {
        guard !data.isEmpty else { return !isClosed }
        let (waiter, open): (CheckedContinuation<Data?, Never>?, Bool) = state.withLock { state in
            if state.closed { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, true)
            }
            if !state.queue.isEmpty && state.bytes + data.count > limit {
                state.queue = []
                state.bytes = 0
                state.closed = true
                return (nil, false)
            }
            state.queue.append(data)
            state.bytes += data.count
            return (nil, true)
        }
        waiter?.resume(returning: data)
        return open
    }

    /// Ends the stream once what is queued has been written.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Data?, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Everything queued, as one chunk, or nil when there is nothing and `wait` is false.
    func take() -> Data? {
        state.withLock { state in
            guard !state.queue.isEmpty else { return nil }
            defer { state.queue = []; state.bytes = 0 }
            return state.queue.count == 1 ? state.queue[0] : state.queue.reduce(into: Data()) { $0.append($1) }
        }
    }

    /// Waits for the next chunk; nil once closed and drained (or when the waiting task is cancelled).
    func wait() async -> Data? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Data?, Never>) in
                let ready: Data?? = state.withLock { state in
                    if !state.queue.isEmpty {
                        defer { state.queue = []; state.bytes = 0 }
                        return .some(state.queue.reduce(into: Data()) { $0.append($1) })
                    }
                    if state.closed { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            close()
        }
    }
}
