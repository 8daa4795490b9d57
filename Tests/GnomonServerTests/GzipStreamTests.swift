import Foundation
import GnomonExecution
import GnomonServer
import GnomonTesting
import Testing

/// A gzip stream made of chunks compressed once each (``DeflatedChunk``) and framed per response
/// (``GzipFraming``), checked by the system's own `gzip`; and which requests take gzip.
@Suite("gzip-encoded streams")
struct GzipStreamTests {
    struct Framing: Sendable, CustomTestStringConvertible {
        let name: String
        let chunks: [Data]
        var testDescription: String { name }
    }

    /// Text much like the event stream's: long runs of repeated keys.
    static func events(_ count: Int, from first: Int = 1) -> Data {
        Data((first..<(first + count)).map { id in
            "id: \(id)\nevent: task_changed\ndata: {\"at\":\"2026-12-07T10:00:00.000Z\",\"id\":\(id),\"job\":\"wide\",\"run_id\":7,\"status\":\"succeeded\",\"task\":\"t\(id)\",\"type\":\"task_changed\"}\n\n"
        }.joined().utf8)
    }

    static let framings: [Framing] = [
        Framing(name: "no chunk: header and trailer only", chunks: []),
        Framing(name: "one small chunk", chunks: [Data("retry: 1000\n\n".utf8)]),
        Framing(name: "empty chunks between others", chunks: [Data("a".utf8), Data(), Data("b".utf8), Data()]),
        Framing(name: "chunks past the 32 KiB window, repeating each other", chunks: [events(2000), events(2000), events(3)]),
        Framing(name: "every byte value", chunks: [Data((0...255).map(UInt8.init)), Data((0...255).reversed().map(UInt8.init))]),
    ]

    @Test("chunks framed for one response decode with gzip -d to their concatenation", arguments: framings)
    func framesDecode(_ framing: Framing) async throws {
        var gzip = GzipFraming()
        var wire = Data()
        for chunk in framing.chunks { wire.append(gzip.frame(DeflatedChunk(chunk))) }
        wire.append(gzip.finish())
        let decoded = try await Self.gunzip(wire)
        #expect(decoded == framing.chunks.reduce(Data(), +))
    }

    @Test("one compressed chunk serves responses that joined at different points")
    func sharedChunkTwoResponses() async throws {
        let (early, shared, late) = (DeflatedChunk(Self.events(50)), DeflatedChunk(Self.events(900, from: 51)), DeflatedChunk(Data(": heartbeat\n\n".utf8)))
        var first = GzipFraming(), second = GzipFraming()
        var one = first.frame(early), two = Data()
        one.append(first.frame(shared)); two.append(second.frame(shared))
        one.append(first.frame(late)); two.append(second.frame(late))
        one.append(first.finish()); two.append(second.finish())
        #expect(try await Self.gunzip(one) == Self.events(50) + Self.events(900, from: 51) + Data(": heartbeat\n\n".utf8))
        #expect(try await Self.gunzip(two) == Self.events(900, from: 51) + Data(": heartbeat\n\n".utf8))
        #expect(shared.bytes.count * 8 < shared.length, "event text compresses at least eightfold: \(shared.bytes.count) of \(shared.length)")
    }

    struct Accept: Sendable, CustomTestStringConvertible {
        let name: String
        let header: String?
        let gzip: Bool
        var testDescription: String { name }
    }

    @Test("Accept-Encoding decides whether an answer is gzip", arguments: [
        Accept(name: "no header", header: nil, gzip: false),
        Accept(name: "a browser's list", header: "gzip, deflate, br, zstd", gzip: true),
        Accept(name: "upper case", header: "GZIP", gzip: true),
        Accept(name: "x-gzip", header: "x-gzip", gzip: true),
        Accept(name: "gzip refused with q=0", header: "gzip;q=0, identity", gzip: false),
        Accept(name: "gzip with a lower quality", header: "br;q=1.0, gzip;q=0.5", gzip: true),
        Accept(name: "only other codings", header: "deflate, br", gzip: false),
        Accept(name: "any coding", header: "*", gzip: true),
        Accept(name: "any coding but gzip", header: "gzip;q=0, *", gzip: false),
        Accept(name: "identity only", header: "identity", gzip: false),
    ])
    func accepts(_ accept: Accept) {
        let request = ServerRequest(method: "GET", path: "/api/v1/events", headers: accept.header.map { ["accept-encoding": $0] } ?? [:])
        #expect(request.acceptsGzip == accept.gzip)
    }

    /// The bytes `gzip -d` makes of `wire` (it fails on a bad header, body, CRC or length).
    static func gunzip(_ wire: Data) async throws -> Data {
        let folder = try TemporaryHome()
        let input = folder.path("stream.gz"), output = folder.path("stream")
        try wire.write(to: URL(fileURLWithPath: input))
        let result = try await ProcessSpawner.shared.runCapturingOutput(
            ["/bin/sh", "-c", "gzip -dc < '\(input)' > '\(output)'"], environment: ProcessInfo.processInfo.environment, workingDirectory: "/")
        try #require(result.status == .exited(code: 0), "gzip -d: \(result.errorText)")
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }
}
