import Foundation
import GnomonCore
import GnomonServer
import GnomonStore
import Synchronization

/// The one reader of the event record for every client of `GET /api/v1/events`.
///
/// Every `pollInterval` (200 ms: a browser sees a task change within a fifth of a second, and an
/// idle daemon with clients pays one indexed query five times a second) the poller reads the
/// events after its position, once, encodes each message once and appends it to every client
/// whose filter accepts it; never a query per client per tick. With no client it reads nothing.
/// It also watches the log sizes of the running attempts of runs a `logs=1` client follows, and
/// sends every client a heartbeat comment every `heartbeat` (15 s).
///
/// No gap, no repeat: a new client catches up from the store by itself (``EventSubscriber``)
/// and joins only when its position equals the hub's, under the hub's lock; the poller appends
/// a page and moves the position under the same lock.
final class EventHub: Sendable {
    /// How often the poller reads new events (and log sizes).
    static let pollInterval: Duration = .milliseconds(200)
    /// How often every client gets a `: heartbeat` comment (the server closes a connection idle
    /// for 60 s; proxies often after 60 s too).
    static let heartbeatInterval: Duration = .seconds(15)
    /// A client this many bytes behind is disconnected; it reconnects with `Last-Event-ID` and
    /// catches up from the store (4 MiB: some 15,000 events).
    static let maxPendingBytes = 4 << 20
    /// Events read per query.
    static let pageSize = 500
    /// How long browsers wait before reconnecting (the stream's `retry:` field), milliseconds.
    static let reconnectDelay = 1000

    let store: GnomonStore
    let pollInterval: Duration
    let heartbeat: Duration
    let maxPendingBytes: Int

    private struct AttemptKey: Hashable {
        var run: Int64, task: String, number: Int
    }

    /// What decides a client's share of a page of events.
    private struct ChunkKey: Hashable {
        var filter: EventFilter
        var cursor: Int64
    }

    private struct LogWatch {
        var job: String
        var path: String
        var size: Int64
    }

    private struct State {
        /// Every event up to this id has been given to the joined subscribers.
        var position: Int64
        var subscribers: [ObjectIdentifier: EventSubscriber] = [:]
        var watches: [AttemptKey: LogWatch] = [:]
        var stopped = false
        /// Client streams whose response still holds them (joined or not).
        var streams = 0
    }

    private let state: Mutex<State>

    /// The intervals and the limit are the constants above except in tests.
    init(
        store: GnomonStore, pollInterval: Duration = EventHub.pollInterval, heartbeat: Duration = EventHub.heartbeatInterval,
        maxPendingBytes: Int = EventHub.maxPendingBytes
    ) {
        self.store = store
        self.pollInterval = pollInterval
        self.heartbeat = heartbeat
        self.maxPendingBytes = maxPendingBytes
        self.state = Mutex(State(position: (try? store.lastEventID()) ?? 0))
    }

    /// Polls until cancelled, then ends every client's stream.
    func run() async {
        let clock = ContinuousClock()
        var nextBeat = clock.now + heartbeat
        while !Task.isCancelled {
            try? await clock.sleep(for: pollInterval)
            if Task.isCancelled { break }
            poll()
            if clock.now >= nextBeat {
                beat()
                nextBeat = clock.now + heartbeat
            }
        }
        let subscribers = state.withLock { state in
            state.stopped = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.close(finishing: true) }
    }

    /// Waits until every client's response has written its stream's end (a gzip stream's
    /// trailer included) and let it go, or `limit` passed: the server is stopped only after.
    func waitForStreamsToEnd(within limit: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while state.withLock({ $0.streams }) > 0, clock.now < deadline {
            try? await clock.sleep(for: .milliseconds(10))
        }
    }

    // MARK: - Clients

    /// A client's stream: first what it missed after `after` (nil: nothing old), then live;
    /// `gzip`: as one gzip stream (``EventSubscriber``).
    func stream(filter: EventFilter, after: Int64?, gzip: Bool = false) throws(APIError) -> AsyncStream<Data> {
        let start: Int64
        if let after {
            start = after
        } else {
            do { start = try store.lastEventID() } catch { throw .unavailable("cannot read the event record: \(error)") }
        }
        let greeting = Data("retry: \(Self.reconnectDelay)\n\n".utf8)
        let subscriber = EventSubscriber(filter: filter, cursor: start, greeting: greeting, gzip: gzip)
        state.withLock { $0.streams += 1 }
        let lease = Lease(hub: self, subscriber: subscriber)
        return AsyncStream(unfolding: { await lease.next() }, onCancel: { lease.subscriber.close() })
    }

    /// Keeps a client in the hub while its stream exists: when the response ends (the client went
    /// away, the stream was dropped) the lease goes and takes the client out.
    private final class Lease: Sendable {
        let hub: EventHub
        let subscriber: EventSubscriber

        init(hub: EventHub, subscriber: EventSubscriber) {
            self.hub = hub
            self.subscriber = subscriber
        }

        deinit {
            hub.remove(subscriber)
            hub.state.withLock { $0.streams -= 1 }
        }

        /// While catching up, the next page (the first with the greeting); once joined, what the
        /// hub queued. A client with nothing to catch up has joined when its first chunk returns.
        func next() async -> Data? {
            var chunk = subscriber.take() ?? Data()
            while !subscriber.hasJoined {
                guard !subscriber.isClosed, let page = hub.catchUp(subscriber) else { return chunk.isEmpty ? nil : chunk }
                if !page.isEmpty { chunk.append(subscriber.encode(EventChunk(page))) }
                if !chunk.isEmpty { return chunk }
            }
            return chunk.isEmpty ? await subscriber.wait() : chunk
        }
    }

    /// One step of a client's catch-up: the next page of what it missed, or it joins the hub
    /// (and gets empty data). Nil when the store cannot be read (the stream then ends; the client
    /// reconnects and tries again).
    private func catchUp(_ subscriber: EventSubscriber) -> Data? {
        let cursor = subscriber.cursor
        let target = state.withLock { state -> Int64? in
            if state.stopped { return nil }
            // An idle hub has not read for a while: its position starts at this client's.
            if state.subscribers.isEmpty { state.position = max(state.position, cursor) }
            guard state.position <= cursor else { return state.position }
            state.subscribers[ObjectIdentifier(subscriber)] = subscriber
            subscriber.markJoined()
            return nil
        }
        guard let target else {
            if subscriber.hasJoined {
                if subscriber.filter.logs { watchOpenAttempts(for: subscriber.filter) }
                return Data()
            }
            subscriber.close()
            return nil
        }
        let events: [StoredEvent]
        do {
            events = try store.events(after: cursor, limit: Self.pageSize)
        } catch {
            subscriber.close()
            return nil
        }
        var page = Data()
        var last = cursor
        for event in events where event.id <= target {
            last = event.id
            if subscriber.filter.accepts(job: event.job, run: event.runID) { page.append(Self.message(event)) }
        }
        // A short page read to the record's end, which is at or past the hub's position; a page
        // reaching past the position holds everything up to it.
        if events.count < Self.pageSize || (events.last?.id ?? target) >= target { last = target }
        subscriber.advance(to: last)
        return page
    }

    private func remove(_ subscriber: EventSubscriber) {
        subscriber.close()
        _ = state.withLock { $0.subscribers.removeValue(forKey: ObjectIdentifier(subscriber)) }
    }

    // MARK: - The poller

    /// Reads what is new, page by page, and hands it out.
    private func poll() {
        let (start, logClients) = state.withLock { state in
            (state.subscribers.isEmpty ? nil : state.position, state.subscribers.values.filter(\.filter.logs).map(\.filter))
        }
        guard var position = start else { return }
        if !logClients.isEmpty { sendLogGrowth(logClients) }
        while true {
            let events: [StoredEvent]
            do { events = try store.events(after: position, limit: Self.pageSize) } catch { return }
            guard let last = events.last else { return }
            // Log growth of attempts that just ended goes out before their attempt_ended.
            var ended: [Int64: Data] = [:]
            if !logClients.isEmpty {
                for event in events where event.type == .attemptEnded { ended[event.id] = finalLogGrowth(event) }
            }
            let messages = events.map { (event: $0, data: Self.message($0)) }
            state.withLock { state in
                // Clients with the same filter and position get the same bytes: built once (and
                // compressed at most once), shared.
                var built: [ChunkKey: EventChunk] = [:]
                for (key, subscriber) in state.subscribers {
                    let chunkKey = ChunkKey(filter: subscriber.filter, cursor: subscriber.cursor)
                    let chunk = built[chunkKey] ?? {
                        var chunk = Data()
                        for message in messages where message.event.id > chunkKey.cursor
                            && chunkKey.filter.accepts(job: message.event.job, run: message.event.runID) {
                            if chunkKey.filter.logs, let growth = ended[message.event.id] { chunk.append(growth) }
                            chunk.append(message.data)
                        }
                        built[chunkKey] = EventChunk(chunk)
                        return built[chunkKey]!
                    }()
                    if !subscriber.append(chunk, limit: maxPendingBytes) { state.subscribers[key] = nil }
                }
                state.position = max(state.position, last.id)
            }
            if !logClients.isEmpty { watchStartedAttempts(events, clients: logClients) }
            position = last.id
            if events.count < Self.pageSize { return }
        }
    }

    /// A heartbeat comment to every joined client.
    private func beat() {
        let data = EventChunk(Data(": heartbeat\n\n".utf8))
        state.withLock { state in
            for (key, subscriber) in state.subscribers where !subscriber.append(data, limit: maxPendingBytes) {
                state.subscribers[key] = nil
            }
        }
    }

    // MARK: - Log growth

    /// Starts watching the open attempts a new `logs=1` client follows, from their current size
    /// (it reads what is there through the log endpoint).
    private func watchOpenAttempts(for filter: EventFilter) {
        let open: [GnomonStore.OpenAttempt]
        do {
            open = try store.openAttempts(runs: filter.jobs.isEmpty && !filter.runs.isEmpty ? filter.runs : nil)
        } catch {
            return
        }
        let found = open.filter { filter.accepts(job: $0.job, run: $0.run) }.map { ($0, Self.size(of: $0.logPath) ?? 0) }
        state.withLock { state in
            for (attempt, size) in found {
                let key = AttemptKey(run: attempt.run, task: attempt.task, number: attempt.number)
                if state.watches[key] == nil { state.watches[key] = LogWatch(job: attempt.job, path: attempt.logPath, size: size) }
            }
        }
    }

    /// Watches, from their first byte, the attempts that started in `events` of runs a `logs=1`
    /// client follows.
    private func watchStartedAttempts(_ events: [StoredEvent], clients: [EventFilter]) {
        let runs = Set(events.compactMap { event -> Int64? in
            guard event.type == .attemptStarted, let run = event.runID,
                  clients.contains(where: { $0.accepts(job: event.job, run: run) }) else { return nil }
            return run
        })
        guard !runs.isEmpty, let open = try? store.openAttempts(runs: runs) else { return }
        state.withLock { state in
            for attempt in open {
                let key = AttemptKey(run: attempt.run, task: attempt.task, number: attempt.number)
                if state.watches[key] == nil { state.watches[key] = LogWatch(job: attempt.job, path: attempt.logPath, size: 0) }
            }
        }
    }

    /// Stats every watched log; sends a `log` message for each that grew to the `logs=1` clients
    /// following its run, and stops watching logs no client follows any more.
    private func sendLogGrowth(_ clients: [EventFilter]) {
        let watched = state.withLock { state in
            state.watches = state.watches.filter { key, watch in clients.contains { $0.accepts(job: watch.job, run: key.run) } }
            return state.watches
        }
        var grown: [(AttemptKey, LogWatch, Int64)] = []
        for (key, watch) in watched {
            if let size = Self.size(of: watch.path), size > watch.size { grown.append((key, watch, size)) }
        }
        guard !grown.isEmpty else { return }
        state.withLock { state in
            var messages: [(job: String, run: Int64, data: Data)] = []
            for (key, watch, size) in grown {
                guard let current = state.watches[key], current.size < size else { continue }
                messages.append((watch.job, key.run, Self.logMessage(key, from: current.size, to: size)))
                state.watches[key]?.size = size
            }
            for (id, subscriber) in state.subscribers where subscriber.filter.logs {
                var chunk = Data()
                for message in messages where subscriber.filter.accepts(job: message.job, run: message.run) { chunk.append(message.data) }
                if !subscriber.append(EventChunk(chunk), limit: maxPendingBytes) { state.subscribers[id] = nil }
            }
        }
    }

    /// The last growth of an ended attempt's log (nil when it did not grow); stops watching it.
    private func finalLogGrowth(_ event: StoredEvent) -> Data? {
        guard let run = event.runID, let task = event.task, let number = event.attempt else { return nil }
        let key = AttemptKey(run: run, task: task, number: number)
        guard let watch = state.withLock({ $0.watches.removeValue(forKey: key) }) else { return nil }
        guard let size = Self.size(of: watch.path), size > watch.size else { return nil }
        return Self.logMessage(key, from: watch.size, to: size)
    }

    private static func size(of path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    // MARK: - Messages

    /// An event as a Server-Sent Events message: its id, its type as the event name, the stored
    /// event as one line of JSON.
    static func message(_ event: StoredEvent) -> Data {
        Data("id: \(event.id)\nevent: \(event.type.rawValue)\ndata: \(event.jsonLine)\n\n".utf8)
    }

    /// A `log` message: bytes `from..<to` of an attempt's log exist now (no id: not durable).
    private static func logMessage(_ key: AttemptKey, from: Int64, to: Int64) -> Data {
        let object: [String: Any] = ["run": key.run, "task": key.task, "attempt": key.number, "offset": from, "length": to - from]
        let json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var data = Data("event: log\ndata: ".utf8)
        data.append(json)
        data.append(contentsOf: Array("\n\n".utf8))
        return data
    }
}
