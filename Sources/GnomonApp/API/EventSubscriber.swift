import Foundation
import GnomonServer
import GnomonStore
import Synchronization

/// Bytes for the event stream's clients, in both encodings: a chunk the hub hands to many clients
/// is compressed once, by the first gzip client that takes it.
final class EventChunk: Sendable {
    let plain: Data
    private let compressed = Mutex<DeflatedChunk?>(nil)

    init(_ plain: Data) {
        self.plain = plain
    }

    var deflated: DeflatedChunk {
        compressed.withLock { made in
            if let made { return made }
            let chunk = DeflatedChunk(plain)
            made = chunk
            return chunk
        }
    }
}

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
/// ``EventHub/maxPendingBytes``, and the response body's wait for more. A client that accepts
/// gzip gets every chunk compressed (shared chunks once for all), framed as one gzip stream.
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
        /// The gzip framing of a client that accepts gzip; nil: plain bytes.
        var gzip: GzipFraming?

        /// `chunk`'s bytes as this client receives them.
        mutating func encode(_ chunk: EventChunk) -> Data {
            guard gzip != nil else { return chunk.plain }
            return gzip!.frame(chunk.deflated)
        }
    }

    private let state: Mutex<State>

    init(filter: EventFilter, cursor: Int64, greeting: Data, gzip: Bool = false) {
        self.filter = filter
        var initial = State(cursor: cursor, gzip: gzip ? GzipFraming() : nil)
        let first = initial.encode(EventChunk(greeting))
        initial.queue = [first]
        initial.bytes = first.count
        self.state = Mutex(initial)
    }

    /// `chunk`'s bytes for this client, to send after what it has been given so far (a catch-up
    /// page, which the client's own stream sends without queueing it).
    func encode(_ chunk: EventChunk) -> Data {
        state.withLock { $0.encode(chunk) }
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

    /// Queues `chunk` for the client; returns false when the client is closed, or has just been
    /// closed for being more than `limit` bytes behind (what it has not taken yet plus `chunk`;
    /// one chunk, at most a page of events, always fits in an empty queue).
    @discardableResult
    func append(_ chunk: EventChunk, limit: Int) -> Bool {
        guard !chunk.plain.isEmpty else { return !isClosed }
        let (waiter, data, open): (CheckedContinuation<Data?, Never>?, Data, Bool) = state.withLock { state in
            if state.closed { return (nil, Data(), false) }
            let data = state.encode(chunk)
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, data, true)
            }
            if !state.queue.isEmpty && state.bytes + data.count > limit {
                state.queue = []
                state.bytes = 0
                state.closed = true
                return (nil, Data(), false)
            }
            state.queue.append(data)
            state.bytes += data.count
            return (nil, data, true)
        }
        waiter?.resume(returning: data)
        return open
    }

    /// Ends the stream once what is queued has been written. `finishing`: the stream ends as
    /// planned (the server stops), so a gzip stream gets its trailer; a client that went away or
    /// fell behind is simply cut off.
    func close(finishing: Bool = false) {
        let (waiter, last) = state.withLock { state -> (CheckedContinuation<Data?, Never>?, Data?) in
            var last: Data?
            if finishing, !state.closed, state.gzip != nil { last = state.gzip!.finish() }
            state.closed = true
            defer { state.waiter = nil }
            if let last, state.waiter == nil {
                state.queue.append(last)
                state.bytes += last.count
                return (nil, nil)
            }
            return (state.waiter, last)
        }
        waiter?.resume(returning: last)
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
