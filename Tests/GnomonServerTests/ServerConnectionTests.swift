import Foundation
import Glibc
import GnomonTesting
import Testing

/// What a client does on the wire cannot stop the server: huge bodies, garbage, slow clients,
/// many idle connections at once.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ServerConnectionTests {
    @Test
    func hugeBodiesGarbageSlowClientsAndManyConnectionsLeaveTheServerAnswering() async throws {
        let fixture = try await ServerFixture.start()
        let daemon = fixture.daemon

        let huge = Data(("{\"params\": {\"x\": \"" + String(repeating: "a", count: 2 << 20) + "\"}}").utf8)
        let tooLarge = try await daemon.client.request("POST", "/api/v1/jobs/hello/runs", body: huge, token: daemon.adminToken)
        #expect(tooLarge.status == 413 && tooLarge.errorCode == "body_too_large", "\(tooLarge.status) \(tooLarge.text.prefix(200))")

        let garbage = try? await daemon.client.raw(Data("HELLO THERE\r\n\r\n".utf8), timeout: 10)
        #expect(garbage == nil || garbage!.status == 400, "garbage gets 400 or a closed connection")

        // A slow client: half a request line, held open while others are served.
        let slow = try daemon.client.connect()
        defer { close(slow) }
        try daemon.client.send(Data("GET /health HTTP/1.1\r\nHo".utf8), on: slow)

        // Many connections at once: 300 idle ones held open while 50 requests run side by side.
        var idle: [Int32] = []
        defer { for socket in idle { close(socket) } }
        for _ in 0..<300 { idle.append(try daemon.client.connect()) }
        let started = ContinuousClock.now
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<50 {
                group.addTask { try await daemon.request("GET", index % 2 == 0 ? "/health" : "/api/v1/runs?limit=5").status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.count == 50 && statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        // Loose bound: 50 small requests on a loaded 2-core machine; a server stuck behind the slow
        // client or the idle connections would wait for the 60 s idle timeout.
        #expect(ContinuousClock.now - started < .seconds(20))

        // The slow client finishes its request and is answered.
        try daemon.client.send(Data("st: x\r\nConnection: close\r\n\r\n".utf8), on: slow)
        let answer = try HTTPTestClient.parse(try await Task.detached { try HTTPTestClient.readAll(slow) }.value)
        #expect(answer.status == 200)

        #expect(try await daemon.request("GET", "/health").status == 200)
        #expect(await daemon.stop() == 0)
    }
}
