import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

extension DaemonIntegrationTests {
    /// The real binary SIGKILLed between a run's end and its alert's delivery (the receiver is
    /// down): the next daemon delivers it, once, with the same event id.
    @Test(.needsReceivers)
    func anAlertSurvivesASIGKILLedDaemon() async throws {
        let h = try DaemonHarness()
        let port = try HTTPReceiver.closedPort()
        let config = h.root + "/gnomon.yaml"
        try """
            channels:
              hook: { webhook: { url: "http://127.0.0.1:\(port)/hook" } }
            notify:
              - { to: [hook], on: [failure] }
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try h.write(job: "etl", "tasks:\n  t: { run: \"exit 3\" }\n")
        try await h.startDaemon(["--config", config])
        let id = try #require(Int64(try await h.cli(["trigger", "etl"]).out.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await h.waitUntil(timeout: 10) { try h.store().deliveries(limit: 1).first.map { $0.tries >= 1 } ?? false }, "\(h.log)")
        await h.stopDaemon(signal: SIGKILL)
        let pending = try #require(try h.store().deliveries(limit: 1).first)
        #expect(pending.state == "pending" && pending.runID == id)

        let receiver = try await HTTPReceiver.start(in: h.root + "/receiver", behaviour: .answer(status: 200, body: "ok"), port: port)
        defer { Task { await receiver.stop() } }
        try await h.startDaemon(["--config", config])
        // The first try failed at once; the next is due 5 s after it.
        #expect(await h.waitUntil(timeout: 15) { try h.store().deliveries(limit: 1).first?.state == "delivered" }, "\(h.log)")
        await h.stopDaemon()
        let requests = try receiver.requests()
        #expect(requests.count == 1)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(requests[0].body)) as? [String: Any])
        #expect(body["event_id"] as? Int == Int(pending.eventID))
        #expect(body["run_id"] as? Int == Int(id))
    }
}
