import Foundation
import GnomonNotify
import GnomonTesting
import Testing

/// The PagerDuty sender against a real HTTP receiver answering as the Events API v2 does.
@Suite(.needsReceivers) struct PagerDutyTests {
    static let accepted = #"{"status":"success","message":"Event processed","dedup_key":"gnomon-nightly-etl"}"#

    @Test func triggerThenResolveWithTheSameDedupKey() async throws {
        try await withHTTPReceiver(.answer(status: 202, body: Self.accepted)) { receiver in
            let sender = PagerDutySender(target: PagerDutyTarget(url: receiver.baseURL + "/v2/enqueue", routingKey: "R0UT1NG", timeout: .seconds(5)))
            #expect(await sender.send(Fixtures.failure) == .delivered(detail: "HTTP 202"))
            #expect(await sender.send(Fixtures.recovery) == .delivered(detail: "HTTP 202"))

            let requests = try receiver.requests()
            try #require(requests.count == 2)
            #expect(requests.allSatisfy { $0.path == "/v2/enqueue" && $0.header("Content-Type") == "application/json" })
            let alertJSON = String(decoding: Fixtures.failure.jsonBody(), as: UTF8.self)
            #expect(String(decoding: requests[0].body, as: UTF8.self) == #"""
            {"dedup_key":"gnomon-nightly-etl","event_action":"trigger","payload":{"custom_details":\#(alertJSON),"severity":"error","source":"gnomon","summary":"nightly-etl failed (run 812): task load exit 3","timestamp":"2026-12-07T02:31:13Z"},"routing_key":"R0UT1NG"}
            """#)
            #expect(String(decoding: requests[1].body, as: UTF8.self) == #"""
            {"dedup_key":"gnomon-nightly-etl","event_action":"resolve","routing_key":"R0UT1NG"}
            """#)
        }
    }

    @Test func aTriggerWithoutTimesHasNoTimestamp() throws {
        let object = try #require(JSONSerialization.jsonObject(with: Data(PagerDutySender.body(of: Fixtures.test, routingKey: "k"))) as? [String: Any])
        let payload = try #require(object["payload"] as? [String: Any])
        #expect(payload.keys.sorted() == ["custom_details", "severity", "source", "summary"])
        #expect(object["event_action"] as? String == "trigger")
    }

    @Test func aRefusedEventIsNotRetried() async throws {
        let body = #"{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]}"#
        try await withHTTPReceiver(.answer(status: 400, body: body)) { receiver in
            let url = receiver.baseURL + "/v2/enqueue"
            let result = await PagerDutySender(target: PagerDutyTarget(url: url, routingKey: "short", timeout: .seconds(5))).send(Fixtures.failure)
            #expect(result == .failed(error: "\(url) answered HTTP 400: \(body)", retryable: false))
        }
    }
}
