import Foundation
@testable import GnomonApp
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// `GET /api/v1/events` against a real daemon with real tasks, and its shared poller (the
/// EventHub) in-process over a real store where a test needs short intervals.
@Suite("the event stream")
struct EventStreamTests {
    /// A chain of `count` tasks, each a short sleep: a run with a few hundred events over a few seconds.
    static func chain(_ count: Int, sleep: String = "0.03") -> String {
        var yaml = "tasks:\n"
        for index in 1...count {
            yaml += "  t\(index): { run: \"sleep \(sleep)\"\(index > 1 ? ", depends_on: [t\(index - 1)]" : "") }\n"
        }
        return yaml
    }

    @Test("a client that drops mid-run and reconnects with Last-Event-ID gets every event once, in order")
    func resumesWithoutGap() async throws {
        let d = try LiveDaemon()
        try d.write(job: "chain", Self.chain(30))
        try await d.start()
        let first = try await d.events("/api/v1/events?job=chain")
        #expect(first.status == 200)
        #expect(first.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let run = try await d.trigger("chain")
        #expect(try await first.read { $0.filter { $0.id != nil }.count >= 8 })
        let before = first.events
        first.close()
        let lastSeen = try #require(before.last?.id)
        #expect(before.first?.event == "run_created" && before.first?.object()["run_id"] as? Int == Int(run))
        // The run goes on while the client is away.
        #expect(await eventually(within: .seconds(20), every: .milliseconds(20)) { try d.store().lastEventID() >= lastSeen + 10 })

        let second = try await d.events("/api/v1/events?job=chain", lastEventID: lastSeen)
        #expect(try await second.read { $0.contains { $0.event == "run_finished" } }, "\(d.log)")
        let received = (before + second.events).compactMap(\.id)
        let recorded = try d.store().events(after: 0, limit: 100_000, job: "chain").map(\.id).filter { $0 >= received[0] }
        #expect(received == recorded, "every event between the two connections exactly once")
        #expect(Set(received).count == received.count)
        second.close()
        #expect(await d.stop() == 0)
    }

    struct FilterCase: Sendable, CustomTestStringConvertible {
        let name: String
        /// The query, `A1`/`A2`/`B1` standing for the run ids.
        let query: String
        let accepts: @Sendable (StoredEvent, [String: Int64]) -> Bool
        var testDescription: String { name }
    }

    static let filterCases: [FilterCase] = [
        FilterCase(name: "no filter: every event", query: "") { _, _ in true },
        FilterCase(name: "one run", query: "run=A1") { event, ids in event.runID == ids["A1"] },
        FilterCase(name: "one job", query: "job=beta") { event, _ in event.job == "beta" },
        FilterCase(name: "a run or a job", query: "run=A2&job=beta") { event, ids in event.runID == ids["A2"] || event.job == "beta" },
        FilterCase(name: "two runs", query: "run=A1&run=A2") { event, ids in event.runID == ids["A1"] || event.runID == ids["A2"] },
    ]

    @Test("run= and job= select the events a client gets, replayed from last_event_id=0 and live")
    func filters() async throws {
        let d = try LiveDaemon()
        try d.write(job: "alpha", "tasks:\n  a1: { run: \"true\" }\n  a2: { run: \"true\", depends_on: [a1] }\n")
        try d.write(job: "beta", "tasks:\n  b1: { run: \"true\" }\n")
        try await d.start()
        var ids: [String: Int64] = [:]
        ids["A1"] = try await d.trigger("alpha")
        ids["B1"] = try await d.trigger("beta")
        ids["A2"] = try await d.trigger("alpha")
        #expect(await eventually(within: .seconds(20), every: .milliseconds(20)) {
            try ids.values.allSatisfy { try d.run($0)?.summary.status.isFinished == true }
        })
        let all = try d.store().events(after: 0, limit: 100_000)
        for filter in Self.filterCases {
            var query = filter.query
            for (name, id) in ids { query = query.replacingOccurrences(of: name, with: String(id)) }
            let expected = all.filter { filter.accepts($0, ids) }.map(\.id)
            let stream = try await d.events("/api/v1/events?last_event_id=0" + (query.isEmpty ? "" : "&" + query))
            #expect(try await stream.read { $0.filter { $0.id != nil }.count >= expected.count }, "\(filter.name)")
            #expect(stream.events.compactMap(\.id) == expected, "\(filter.name)")
            stream.close()
        }
        // Live: a beta follower sees beta's new run to its end and nothing of alpha's.
        let beta = try await d.events("/api/v1/events?job=beta")
        let everything = try await d.events("/api/v1/events")
        let alpha3 = try await d.trigger("alpha")
        let beta2 = try await d.trigger("beta")
        #expect(try await beta.read { $0.contains { $0.event == "run_finished" && $0.object()["run_id"] as? Int == Int(beta2) } })
        #expect(beta.events.allSatisfy { $0.object()["job"] as? String == "beta" })
        #expect(try await everything.read { messages in
            [alpha3, beta2].allSatisfy { run in messages.contains { $0.event == "run_finished" && $0.object()["run_id"] as? Int == Int(run) } }
        })
        beta.close()
        everything.close()
        #expect(await d.stop() == 0)
    }

    struct BadQuery: Sendable, CustomTestStringConvertible {
        let name: String
        let path: String
        let lastEventID: String?
        let message: String
        var testDescription: String { name }
    }

    @Test("bad filters and positions are 400s that say what to send", arguments: [
        BadQuery(name: "a run that is not an id", path: "/api/v1/events?run=abc", lastEventID: nil, message: "run=abc is not a run id"),
        BadQuery(name: "logs not 0 or 1", path: "/api/v1/events?logs=yes", lastEventID: nil, message: "logs=yes must be 1 or 0"),
        BadQuery(name: "an unknown parameter", path: "/api/v1/events?runs=1", lastEventID: nil, message: "unknown query parameter runs"),
        BadQuery(name: "a last_event_id that is not a number", path: "/api/v1/events?last_event_id=-3", lastEventID: nil,
                 message: "\"-3\" is not an event id"),
        BadQuery(name: "a Last-Event-ID header that is not a number", path: "/api/v1/events", lastEventID: "x7",
                 message: "\"x7\" is not an event id"),
    ])
    func badQueries(_ bad: BadQuery) async throws {
        let d = try LiveDaemon()
        try await d.start()
        let connection = try await LiveConnection.open(port: d.port)
        var headers = ["Authorization": "Bearer \(d.token)"]
        if let id = bad.lastEventID { headers["Last-Event-ID"] = id }
        try connection.send(method: "GET", path: bad.path, headers: headers, body: nil)
        let response = try await connection.readResponse()
        #expect(response.status == 400, "\(response.text)")
        #expect(response.errorMessage.contains(bad.message), "\(response.errorMessage)")
        #expect(await d.stop() == 0)
    }

    @Test("logs=1 tells each growth of a followed attempt's log, contiguous, the last before attempt_ended")
    func logAppends() async throws {
        let d = try LiveDaemon()
        try d.write(job: "talk", "tasks:\n  talk: { run: \"for i in $(seq 1 30); do echo line $i; sleep 0.05; done\" }\n")
        try await d.start()
        let run = try await d.trigger("talk")
        let withLogs = try await d.events("/api/v1/events?run=\(run)&logs=1&last_event_id=0")
        let withoutLogs = try await d.events("/api/v1/events?run=\(run)&last_event_id=0")
        let ended: ([LiveMessage]) -> Bool = { $0.contains { $0.event == "run_finished" } }
        #expect(try await withLogs.read(until: ended))
        #expect(try await withoutLogs.read(until: ended))
        #expect(!withoutLogs.messages.contains { $0.event == "log" }, "logs only for clients asking with logs=1")

        let messages = withLogs.messages
        let logs = messages.filter { $0.event == "log" }.map { $0.object() }
        #expect(logs.count >= 3, "a 1.5 s task writing every 50 ms grows its log in several polls: \(logs)")
        #expect(logs.allSatisfy { $0["run"] as? Int == Int(run) && $0["task"] as? String == "talk" && $0["attempt"] as? Int == 1 })
        for (previous, next) in zip(logs, logs.dropFirst()) {
            #expect(next["offset"] as? Int == (previous["offset"] as! Int) + (previous["length"] as! Int), "contiguous: \(logs)")
        }
        let attempt = try #require(try d.run(run)?.attempts.first)
        let size = try FileManager.default.attributesOfItem(atPath: attempt.logPath)[.size] as? Int
        #expect(logs.last.map { ($0["offset"] as! Int) + ($0["length"] as! Int) } == size, "the last growth reaches the file's end")
        let lastLog = try #require(messages.lastIndex { $0.event == "log" })
        let attemptEnded = try #require(messages.firstIndex { $0.event == "attempt_ended" })
        #expect(lastLog < attemptEnded)
        #expect(messages.filter { $0.event == "log" }.allSatisfy { $0.id == nil }, "log messages are not durable: no id")
        withLogs.close()
        withoutLogs.close()
        #expect(await d.stop() == 0)
    }
}

/// The shared poller in-process: heartbeats and slow clients, on short intervals.
@Suite("the event hub")
struct EventHubTests {
    /// Appends `count` events of `job` (its file turning invalid and valid again, in turn).
    static func appendEvents(_ store: GnomonStore, job: String, count: Int) throws {
        for index in 0..<count {
            try store.recordJobFile(job: job, problem: index % 2 == 0 ? "broken" : nil, at: Date())
        }
    }

    /// Reads chunks until `done(text so far)`; nil when the stream ended first.
    static func read(_ iterator: inout AsyncStream<Data>.Iterator, until done: (String) -> Bool) async -> String? {
        var text = ""
        while !done(text) {
            guard let chunk = await iterator.next() else { return nil }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text
    }

    static func ids(_ text: String) -> [Int64] {
        text.split(separator: "\n").compactMap { $0.hasPrefix("id: ") ? Int64($0.dropFirst(4)) : nil }
    }

    @Test("every client gets a heartbeat comment every interval, and its stream ends when the hub stops")
    func heartbeat() async throws {
        let home = try TemporaryHome()
        let store = try home.openStore()
        let hub = EventHub(store: store, pollInterval: .milliseconds(20), heartbeat: .milliseconds(100))
        let polling = Task { await hub.run() }
        var iterator = try hub.stream(filter: EventFilter(), after: nil).makeAsyncIterator()
        let text = await Self.read(&iterator) { $0.components(separatedBy: ": heartbeat\n\n").count > 2 }
        #expect(text?.hasPrefix("retry: 1000\n\n") == true)
        polling.cancel()
        await polling.value
        while await iterator.next() != nil {}
        // Reaching here means the stream ended.
    }

    @Test("a client too far behind is cut off and catches up from its last id with no gap; others go on")
    func slowClient() async throws {
        let home = try TemporaryHome()
        let store = try home.openStore()
        let hub = EventHub(store: store, pollInterval: .milliseconds(10), heartbeat: .seconds(3600), maxPendingBytes: 4096)
        let polling = Task { await hub.run() }
        defer { polling.cancel() }
        let start = try store.lastEventID()
        var slow = try hub.stream(filter: EventFilter(), after: nil).makeAsyncIterator()
        var fast = try hub.stream(filter: EventFilter(jobs: ["etl"]), after: nil).makeAsyncIterator()
        // Both join the hub (their first reads), then the slow one stops reading.
        _ = await slow.next()
        _ = await fast.next()
        // Ten rounds of 20 events (some 170 bytes each), each read by the fast client before the
        // next: the slow one has more than 4,096 bytes waiting by the second round.
        var fastIDs: [Int64] = []
        for round in 1...10 {
            try Self.appendEvents(store, job: "etl", count: 20)
            var text = ""
            while Self.ids(text).count < 20, let chunk = await fast.next() { text += String(decoding: chunk, as: UTF8.self) }
            fastIDs += Self.ids(text)
            #expect(fastIDs.count == 20 * round)
        }
        #expect(fastIDs == Array(start + 1...start + 200), "the fast client is not held up by the slow one")
        var slowText = ""
        while let chunk = await slow.next() { slowText += String(decoding: chunk, as: UTF8.self) }
        let before = Self.ids(slowText)
        #expect(before.count < 200, "200 events of some 200 bytes each are more than 4,096 bytes behind")
        let resumeAfter = before.last ?? start
        var again = try hub.stream(filter: EventFilter(), after: resumeAfter).makeAsyncIterator()
        let rest = await Self.read(&again) { Self.ids($0).count >= 200 - before.count }
        #expect(before + Self.ids(rest ?? "") == Array(start + 1...start + 200))
    }
}
