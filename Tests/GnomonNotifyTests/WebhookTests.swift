import Foundation
import GnomonNotify
import GnomonTesting
import Testing

/// The webhook sender against a real HTTP receiver (python3's http.server) on a free port.
@Suite(.needsReceivers) struct WebhookTests {
    @Test func deliversTheExactBodySignedWithTheExtraHeaders() async throws {
        try await withHTTPReceiver(.answer(status: 200, body: "ok")) { receiver in
            let target = WebhookTarget(
                url: receiver.baseURL + "/hooks/T0", secret: "s3cret",
                headers: [.init(name: "Authorization", value: "Bearer abc"), .init(name: "X-Team", value: "data")],
                timeout: .seconds(5))
            let result = await WebhookSender(target: target).send(Fixtures.failure)
            #expect(result == .delivered(detail: "HTTP 200"))

            let requests = try receiver.requests()
            try #require(requests.count == 1)
            let request = requests[0]
            #expect(request.method == "POST")
            #expect(request.path == "/hooks/T0")
            #expect(request.body == Fixtures.failure.jsonBody())
            #expect(try JSONDecoder().decode(Alert.self, from: Data(request.body)) == Fixtures.failure)
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.header("Authorization") == "Bearer abc")
            #expect(request.header("X-Team") == "data")
            // Recomputed here over the bytes the receiver got.
            let expected = "sha256=" + HMACSHA256.hex(key: Array("s3cret".utf8), message: request.body)
            #expect(request.header("X-Gnomon-Signature") == expected)
        }
    }

    @Test func noSecretNoSignature() async throws {
        try await withHTTPReceiver(.answer(status: 204, body: "")) { receiver in
            let result = await WebhookSender(target: WebhookTarget(url: receiver.baseURL + "/")).send(Fixtures.test)
            #expect(result == .delivered(detail: "HTTP 204"))
            let request = try #require(try receiver.requests().first)
            #expect(request.header("X-Gnomon-Signature") == nil)
            #expect(request.body == Fixtures.test.jsonBody())
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int
        var body: String
        var error: String
        var retryable: Bool
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "500 is retryable", status: 500, body: "database\n  is down", error: "answered HTTP 500: database is down", retryable: true),
        Refusal(name: "503 is retryable", status: 503, body: "", error: "answered HTTP 503", retryable: true),
        Refusal(name: "429 is retryable", status: 429, body: "slow down", error: "answered HTTP 429: slow down", retryable: true),
        Refusal(name: "408 is retryable", status: 408, body: "", error: "answered HTTP 408", retryable: true),
        Refusal(name: "404 is not", status: 404, body: "no such hook: T0", error: "answered HTTP 404: no such hook: T0", retryable: false),
        Refusal(name: "401 is not", status: 401, body: "bad token", error: "answered HTTP 401: bad token", retryable: false),
        Refusal(
            name: "a long body is quoted only in its start", status: 400, body: String(repeating: "y", count: 500),
            error: "answered HTTP 400: " + String(repeating: "y", count: 200) + "...", retryable: false),
    ]

    @Test(arguments: refusals) func refusedDeliveries(_ refusal: Refusal) async throws {
        try await withHTTPReceiver(.answer(status: refusal.status, body: refusal.body)) { receiver in
            let url = receiver.baseURL + "/hook"
            let result = await WebhookSender(target: WebhookTarget(url: url, timeout: .seconds(5))).send(Fixtures.failure)
            #expect(result == .failed(error: "\(url) \(refusal.error)", retryable: refusal.retryable))
            let recorded = try receiver.requests()
            #expect(recorded.count == 1)
        }
    }

    @Test func aReceiverThatNeverAnswersFailsWithinItsTimeout() async throws {
        try await withHTTPReceiver(.hang) { receiver in
            let clock = ContinuousClock()
            let start = clock.now
            let result = await WebhookSender(target: WebhookTarget(url: receiver.baseURL + "/hook", timeout: .seconds(2)))
                .send(Fixtures.failure)
            let took = clock.now - start
            #expect(took < .seconds(3), "took \(took)")
            #expect(took >= .seconds(2), "took \(took)")
            let error = try #require(result.error)
            #expect(error.hasPrefix("127.0.0.1 port \(receiver.port) timed out after 2s"), "\(error)")
            #expect(result.retryable == true)
            let recorded = try receiver.requests()
            #expect(recorded.count == 1)
        }
    }

    @Test func aClosedPortIsRetryable() async throws {
        let port = try HTTPReceiver.closedPort()
        let result = await WebhookSender(target: WebhookTarget(url: "http://127.0.0.1:\(port)/hook", timeout: .seconds(5)))
            .send(Fixtures.failure)
        let error = try #require(result.error)
        #expect(error.hasPrefix("could not connect to 127.0.0.1 port \(port) ("), "\(error)")
        #expect(result.retryable == true)
    }

    @Test func aCancelledDeliveryEndsAtOnce() async throws {
        try await withHTTPReceiver(.hang) { receiver in
            let sender = WebhookSender(target: WebhookTarget(url: receiver.baseURL + "/hook", timeout: .seconds(30)))
            let delivery = Task { await sender.send(Fixtures.failure) }
            #expect(await eventually(within: .seconds(10)) { try receiver.requests().count == 1 })
            let clock = ContinuousClock()
            let start = clock.now
            delivery.cancel()
            let result = await delivery.value
            #expect(clock.now - start < .seconds(2))
            #expect(result == .failed(error: "the delivery to 127.0.0.1 port \(receiver.port) was cancelled", retryable: true))
        }
    }
}
