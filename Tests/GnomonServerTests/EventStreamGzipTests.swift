import Foundation
import GnomonTesting
import Testing

/// `GET /api/v1/events` for a client that accepts gzip (every browser), against a real daemon.
@Suite("the event stream, gzip-encoded")
struct EventStreamGzipTests {
    @Test("a gzip client gets the events a plain client gets, live and caught up, in fewer bytes, and a whole gzip stream at shutdown")
    func sameEventsCompressed() async throws {
        let d = try LiveDaemon()
        try d.write(job: "chain", EventStreamTests.chain(40, sleep: "0.01"))
        try await d.start()
        let plain = try await d.events("/api/v1/events?job=chain")
        let zipped = try await d.events("/api/v1/events?job=chain", acceptEncoding: "gzip, deflate, br, zstd")
        #expect(plain.headers["content-encoding"] == nil)
        #expect(zipped.headers["content-encoding"] == "gzip")
        #expect(zipped.headers["vary"]?.lowercased() == "accept-encoding")
        let run = try await d.trigger("chain")
        let finished: ([LiveMessage]) -> Bool = { messages in
            messages.contains { $0.event == "run_finished" && $0.object()["run_id"] as? Int == Int(run) }
        }
        #expect(try await plain.read(until: finished), "\(d.log)")
        #expect(try await zipped.read(until: finished), "\(d.log)")
        // A gzip client that connects later catches up from the store, page by page.
        let late = try await d.events("/api/v1/events?job=chain&last_event_id=0", acceptEncoding: "gzip")
        #expect(try await late.read(until: finished))

        // The daemon stops: every stream ends, a gzip one with its trailer (checked by zlib).
        #expect(await d.stop() == 0)
        for stream in [plain, zipped, late] { try await stream.readToEnd() }
        let ids = plain.events.compactMap(\.id)
        #expect(ids.count >= 40 * 3, "3 events a task at least")
        #expect(zipped.events.compactMap(\.id) == ids)
        #expect(late.events.compactMap(\.id) == ids)
        for stream in [zipped, late] {
            #expect(stream.inflater?.problem == nil)
            #expect(stream.inflater?.ended == true, "the gzip trailer (CRC-32 and length) arrived and matched")
        }
        #expect(zipped.wireBytes * 4 < plain.wireBytes, "compressed \(zipped.wireBytes) bytes against \(plain.wireBytes)")
    }
}
