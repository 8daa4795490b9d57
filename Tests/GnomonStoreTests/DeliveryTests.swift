import Foundation
import GnomonCore
import Testing
@testable import GnomonStore

/// Alerts queued from the event record: once per event, channel and kind; claimed by one
/// process at a time; tried until delivered or given up.
@Suite("Alert deliveries")
struct DeliveryTests {
    static func alert(_ event: Int64, _ channel: String = "ops", kind: String = "failure", job: String = "etl") -> NewDelivery {
        NewDelivery(eventID: event, channel: channel, kind: kind, job: job, runID: 7, payload: "{\"event_id\":\(event)}")
    }

    @Test("an event read twice queues its alert once, and the reader's place moves in the same transaction")
    func queuedOnce() throws {
        let store = try GnomonStore.inMemory()
        let t = at("2024-05-01T12:00:00Z")
        #expect(try store.eventCursor("notifier") == 0)
        #expect(try store.queue([Self.alert(3), Self.alert(3, "mail")], advancing: "notifier", to: 3, at: t) == 2)
        #expect(try store.queue([Self.alert(3)], advancing: "notifier", to: 3, at: t) == 0)
        #expect(try store.queue([Self.alert(3, kind: "recovery")], at: t) == 1, "another kind is another alert")
        #expect(try store.eventCursor("notifier") == 3)
        _ = try store.queue([], advancing: "notifier", to: 2, at: t)
        #expect(try store.eventCursor("notifier") == 3, "a reader's place never moves back")
        #expect(try store.deliveries(limit: 10).map { "\($0.eventID) \($0.channel) \($0.kind) \($0.state)" } == [
            "3 ops recovery pending", "3 mail failure pending", "3 ops failure pending",
        ])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let tries: [DeliveryTry]
        /// Claimable at these seconds after the first try (and not just before each).
        let dueAgainAfter: Double?
        let state: String
        let lastError: String?
        var testDescription: String { name }
    }

    @Test("each try's outcome", arguments: [
        Case(name: "delivered at once", tries: [.delivered(answer: "HTTP 200")], dueAgainAfter: nil, state: "delivered", lastError: nil),
        Case(name: "failed, to be tried again in 30 s",
             tries: [.failed(error: "HTTP 503 from http://127.0.0.1:9/hook", retryAt: at("2024-05-01T12:00:30Z"))],
             dueAgainAfter: 30, state: "pending", lastError: "HTTP 503 from http://127.0.0.1:9/hook"),
        Case(name: "failed, then delivered", tries: [
            .failed(error: "connection refused", retryAt: at("2024-05-01T12:00:30Z")), .delivered(answer: "HTTP 204"),
        ], dueAgainAfter: nil, state: "delivered", lastError: nil),
        Case(name: "given up", tries: [.failed(error: "HTTP 404: no such hook", retryAt: nil)], dueAgainAfter: nil,
             state: "given_up", lastError: "HTTP 404: no such hook"),
    ])
    func tries(_ c: Case) throws {
        let store = try GnomonStore.inMemory()
        let t = at("2024-05-01T12:00:00Z")
        try store.queue([Self.alert(1)], at: t)
        let id = try #require(try store.claimDueDeliveries(at: t, holder: "a", lease: .seconds(60), limit: 10).first?.id)
        for result in c.tries { try store.recordTry(of: id, result, at: t) }
        let delivery = try #require(try store.deliveries(limit: 1).first)
        #expect(delivery.state == c.state)
        #expect(delivery.tries == c.tries.count)
        #expect(delivery.lastError == c.lastError)
        if let seconds = c.dueAgainAfter {
            #expect(try store.claimDueDeliveries(at: t.addingTimeInterval(seconds - 1), holder: "a", lease: .seconds(60), limit: 10).isEmpty)
            #expect(try store.claimDueDeliveries(at: t.addingTimeInterval(seconds), holder: "a", lease: .seconds(60), limit: 10).map(\.id) == [id])
        } else {
            #expect(try store.claimDueDeliveries(at: t.addingTimeInterval(86_400), holder: "a", lease: .seconds(60), limit: 10).isEmpty)
        }
    }

    @Test("a claimed delivery is not handed to another process until its lease ends")
    func claims() throws {
        let store = try GnomonStore.inMemory()
        let t = at("2024-05-01T12:00:00Z")
        try store.queue([Self.alert(1), Self.alert(2)], at: t)
        #expect(try store.claimDueDeliveries(at: t, holder: "daemon", lease: .seconds(60), limit: 1).map(\.eventID) == [1])
        #expect(try store.claimDueDeliveries(at: t, holder: "runner", lease: .seconds(60), limit: 10).map(\.eventID) == [2])
        #expect(try store.claimDueDeliveries(at: t.addingTimeInterval(59), holder: "runner", lease: .seconds(60), limit: 10).isEmpty)
        // The daemon died holding them: once the lease is over, another process takes them.
        #expect(try store.claimDueDeliveries(at: t.addingTimeInterval(60), holder: "runner", lease: .seconds(60), limit: 10)
            .map(\.eventID) == [1, 2])
    }
}

@Suite("What the notifier remembers")
struct AlertMemoryStoreTests {
    @Test("memories are saved with the alerts they lead to, and read back")
    func saved() throws {
        let store = try GnomonStore.inMemory()
        let t = at("2024-05-01T12:00:00Z")
        let memory = AlertMemory(consecutiveFailures: 3, toldOfFailure: ["ops": t], lastSuccessAt: t.addingTimeInterval(-60))
        try store.queue([DeliveryTests.alert(9)], memories: ["etl": memory], advancing: "notifier", to: 9, at: t)
        #expect(try store.alertMemories() == ["etl": memory])
        // A failing write keeps neither the alert nor the memory nor the reader's place.
        let bad = NewDelivery(eventID: 10, channel: "", kind: "failure", job: "etl", runID: nil, payload: "{}")
        #expect(throws: StoreError.self) {
            try store.queue([bad], memories: ["etl": AlertMemory()], advancing: "notifier", to: 10, at: t)
        }
        #expect(try store.alertMemories() == ["etl": memory])
        #expect(try store.eventCursor("notifier") == 9)
    }
}
