import Foundation
import GnomonApp
import GnomonStore
import GnomonTesting
import Testing

/// `gnomon run` with no daemon on its home delivers its run's alerts itself before it exits.
@Suite("Alerts of foreground runs", .needsReceivers)
struct ForegroundAlertTests {
    @Test("a failed run is told once to the webhook, with its event id; a success after it is a recovery")
    func failureThenRecovery() async throws {
        let bench = try Bench()
        let receiver = try await HTTPReceiver.start(in: bench.home.path("receiver"), behaviour: .answer(status: 200, body: "ok"))
        defer { Task { await receiver.stop() } }
        _ = try bench.home.write("""
            channels:
              hook: { webhook: { url: "\(receiver.baseURL)/hook" } }
            notify:
              - { to: [hook], on: [failure, recovery] }
            """, to: "gnomon.yaml")
        try bench.home.writeJob("flaky", "tasks:\n  step:\n    run: test -f \(bench.home.path("fixed")) || exit 4\n")

        let failed = await bench.outcome { try await bench.run("flaky") }
        #expect(failed.status == .failure, "\(failed)")
        FileManager.default.createFile(atPath: bench.home.path("fixed"), contents: nil)
        let fixed = await bench.outcome { try await bench.run("flaky") }
        #expect(fixed.status == .success, "\(fixed)")

        let bodies = try receiver.requests().map { try #require(try JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]) }
        #expect(bodies.map { $0["type"] as? String } == ["failure", "recovery"])
        #expect(bodies.map { $0["run_id"] as? Int } == [1, 2])
        let store = try bench.home.openStore()
        let deliveries = try store.deliveries(limit: 10)
        #expect(deliveries.allSatisfy { $0.state == "delivered" }, "\(deliveries)")
        #expect(Set(deliveries.map(\.eventID)).count == 2)
        #expect(bodies.first?["event_id"] as? Int == Int(deliveries.last?.eventID ?? -1))
    }
}
