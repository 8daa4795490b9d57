import Foundation
import GnomonApp
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// `gnomon notifications`: the alerts queued through the store, in each state, as a table or JSON.
@Suite("gnomon notifications")
struct NotificationListTests {
    static let queued = ISOTime.parse("2026-12-07T02:31:13Z")!
    static let tried = ISOTime.parse("2026-12-07T02:31:14Z")!
    static let later = ISOTime.parse("2026-12-07T02:32:14Z")!

    /// Four alerts, one line each as the table lists them (oldest first here):
    /// delivered on the second try, pending after a failed try, given up, not tried yet.
    static func queueAlerts(_ settings: GlobalSettings) throws {
        let store = try GnomonStore.open(home: settings.home)
        func alert(_ event: Int64, _ channel: String, _ kind: String, _ job: String, run: Int64?) -> NewDelivery {
            NewDelivery(eventID: event, channel: channel, kind: kind, job: job, runID: run, payload: "{\"event_id\":\(event)}")
        }
        try store.queue([
            alert(11, "ops-chat", "failure", "etl", run: 7), alert(11, "team-mail", "failure", "etl", run: 7),
            alert(12, "oncall", "recovery", "nightly", run: 9), alert(13, "ops-chat", "late", "nightly", run: nil),
        ], at: queued)
        let ids = try store.deliveries(limit: 10).map(\.id).sorted()
        try store.recordTry(of: ids[0], .failed(error: "connection refused", retryAt: tried), at: queued)
        try store.recordTry(of: ids[0], .delivered(answer: "HTTP 200"), at: tried)
        try store.recordTry(of: ids[1], .failed(error: "smtp.example.com:587: timed out after 30s", retryAt: later), at: tried)
        try store.recordTry(of: ids[2], .failed(error: "http://127.0.0.1:9/v2/enqueue answered HTTP 404: no such key", retryAt: nil), at: tried)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Whether the four alerts are queued first (which creates the database).
        var alerts = true
        var job: String?
        var limit = 20
        var json = false
        /// The whole output, ROOT standing for the temporary folder.
        let text: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no database: no alerts yet", alerts: false, text: "no alerts yet (no database at ROOT/home/gnomon.db)"),
        Case(name: "no database, --json: an empty array", alerts: false, json: true, text: "[]"),
        Case(name: "each state, newest first, with the receiver's answer or the last error", text: """
            ID  JOB      RUN  KIND      CHANNEL    STATE      TRIES  QUEUED                DELIVERED             ANSWER OR ERROR
            4   nightly  -    late      ops-chat   pending    0      2026-12-07T02:31:13Z  -                     -
            3   nightly  9    recovery  oncall     given_up   1      2026-12-07T02:31:13Z  -                     http://127.0.0.1:9/v2/enqueue answered HTTP 404: no such key
            2   etl      7    failure   team-mail  pending    1      2026-12-07T02:31:13Z  -                     smtp.example.com:587: timed out after 30s
            1   etl      7    failure   ops-chat   delivered  2      2026-12-07T02:31:13Z  2026-12-07T02:31:14Z  HTTP 200
            """),
        Case(name: "--job keeps that job's alerts", job: "etl", text: """
            ID  JOB  RUN  KIND     CHANNEL    STATE      TRIES  QUEUED                DELIVERED             ANSWER OR ERROR
            2   etl  7    failure  team-mail  pending    1      2026-12-07T02:31:13Z  -                     smtp.example.com:587: timed out after 30s
            1   etl  7    failure  ops-chat   delivered  2      2026-12-07T02:31:13Z  2026-12-07T02:31:14Z  HTTP 200
            """),
        Case(name: "--job of a job without alerts", job: "reports", text: "no alerts for job reports yet"),
        Case(name: "--limit keeps the newest", limit: 1, text: """
            ID  JOB      RUN  KIND  CHANNEL   STATE    TRIES  QUEUED                DELIVERED  ANSWER OR ERROR
            4   nightly  -    late  ops-chat  pending  0      2026-12-07T02:31:13Z  -          -
            """),
    ]

    @Test("output and exit status", arguments: cases)
    func list(_ c: Case) throws {
        let bench = try Bench()
        if c.alerts { try Self.queueAlerts(bench.settings) }
        let text = try NotificationListing.list(job: c.job, limit: c.limit, json: c.json, settings: bench.settings)
        #expect(text.replacingOccurrences(of: bench.home.root, with: "ROOT") == c.text)
        #expect(FileManager.default.fileExists(atPath: bench.settings.databasePath) == c.alerts,
                "listing never creates a database")
    }

    /// The keys of `gnomon notifications --json`, pinned as Docs/cli.md lists them.
    static let keys = [
        "answer", "channel", "delivered_at", "event_id", "given_up_at", "id", "job", "kind", "last_error", "next_try_at",
        "payload", "queued_at", "run_id", "state", "tries",
    ]

    @Test("--json: the Delivery shape, every key present, times in ISO 8601 UTC")
    func json() throws {
        let bench = try Bench()
        try Self.queueAlerts(bench.settings)
        let text = try NotificationListing.list(job: "etl", limit: 20, json: true, settings: bench.settings)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
        for row in rows { #expect(row.keys.sorted() == Self.keys) }
        let pending = rows[0], delivered = rows[1]
        #expect(pending["id"] as? Int == 2)
        #expect(pending["state"] as? String == "pending")
        #expect(pending["channel"] as? String == "team-mail")
        #expect(pending["last_error"] as? String == "smtp.example.com:587: timed out after 30s")
        #expect(pending["next_try_at"] as? String == "2026-12-07T02:32:14Z")
        #expect(pending["delivered_at"] is NSNull)
        #expect(pending["answer"] is NSNull)
        #expect(delivered["state"] as? String == "delivered")
        #expect(delivered["event_id"] as? Int == 11)
        #expect(delivered["run_id"] as? Int == 7)
        #expect(delivered["kind"] as? String == "failure")
        #expect(delivered["job"] as? String == "etl")
        #expect(delivered["tries"] as? Int == 2)
        #expect(delivered["answer"] as? String == "HTTP 200")
        #expect(delivered["queued_at"] as? String == "2026-12-07T02:31:13Z")
        #expect(delivered["delivered_at"] as? String == "2026-12-07T02:31:14Z")
        #expect(delivered["payload"] as? String == "{\"event_id\":11}")
    }
}
