import Foundation
import Glibc
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// The shared `ServedDaemon` (GnomonTesting) with what the event-stream, log and retry tests add:
/// a home made first (jobs written before the start), a start that also waits for the jobs to
/// be loaded, the daemon's database opened by the test, and event streams read message by
/// message. SIGKILLed when the value goes if a test did not stop it.
final class LiveDaemon: @unchecked Sendable {
    let folders: TemporaryHome
    var home: String { folders.home }
    var jobs: String { folders.jobs }
    private(set) var served: ServedDaemon?
    var port: Int { served?.port ?? 0 }
    var token: String { served?.adminToken ?? "" }
    var log: String { served?.log ?? "" }

    init() throws {
        folders = try TemporaryHome()
    }

    deinit { served?.kill() }

    func write(job name: String, _ yaml: String) throws {
        try folders.writeJob(name, yaml)
    }

    /// Starts the daemon and waits until it serves and has loaded its jobs.
    func start(_ extra: [String] = []) async throws {
        let served = try await ServedDaemon.start(folders, extraArguments: extra)
        self.served = served
        let loaded = await eventually(within: .seconds(20), every: .milliseconds(20)) {
            served.log.contains("jobs loaded") || !served.process.isRunning
        }
        try #require(loaded && served.process.isRunning, "the daemon did not load its jobs:\n\(served.log)")
    }

    /// SIGTERM and the exit code.
    @discardableResult
    func stop() async -> Int32? {
        guard let served else { return nil }
        self.served = nil
        return await served.stop()
    }

    private var opened: GnomonStore?

    /// The daemon's database, opened by the test (WAL: reads never block the daemon).
    func store() throws -> GnomonStore {
        if let opened { return opened }
        let store = try GnomonStore.open(home: home)
        opened = store
        return store
    }

    // MARK: - HTTP

    /// One request with the admin token (unless `token` says otherwise); the whole answer.
    func request(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> LiveResponse {
        var headers = ["Authorization": "Bearer \(token ?? self.token)"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let connection = try await LiveConnection.open(port: port)
        try connection.send(method: method, path: path, headers: headers, body: body.map { Data($0.utf8) })
        return try await connection.readResponse()
    }

    /// `POST /api/v1/jobs/{job}/runs`; the new run's id.
    func trigger(_ job: String) async throws -> Int64 {
        let response = try await request("POST", "/api/v1/jobs/\(job)/runs", body: "{}")
        try #require(response.status == 201, "trigger \(job): \(response.status) \(response.text)")
        let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        let id = (object["summary"] as? [String: Any])?["id"] ?? object["id"]
        return try #require((id as? NSNumber)?.int64Value, "no run id in \(response.text)")
    }

    /// Opens `GET path` as an event stream (headers read, body not yet); `acceptEncoding`: the
    /// `Accept-Encoding` header to send (a gzip answer is decoded as it arrives).
    func events(_ path: String, lastEventID: Int64? = nil, acceptEncoding: String? = nil) async throws -> LiveEventStream {
        var headers = ["Authorization": "Bearer \(token)", "Accept": "text/event-stream"]
        if let lastEventID { headers["Last-Event-ID"] = String(lastEventID) }
        if let acceptEncoding { headers["Accept-Encoding"] = acceptEncoding }
        let connection = try await LiveConnection.open(port: port)
        try connection.send(method: "GET", path: path, headers: headers, body: nil)
        let head = try await connection.readHead()
        return LiveEventStream(connection: connection, status: head.status, headers: head.headers)
    }

    /// The run as the store holds it now.
    func run(_ id: Int64) throws -> RunDetail? { try store().run(id) }
}

/// A whole HTTP answer.
struct LiveResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any], "not a JSON object: \(text)")
    }

    /// The `error.message` of a JSON error.
    var errorMessage: String {
        ((try? object())?["error"] as? [String: Any])?["message"] as? String ?? text
    }
}

/// One TCP connection to the server; blocking socket calls run on a thread of their own so the
/// test runner's cooperative threads never wait on the network.
final class LiveConnection: @unchecked Sendable {
    private let socket: Int32
    /// Raw bytes read and not yet consumed.
    private var buffer = Data()
    private var chunked = false
    private var closed = false

    private init(socket: Int32) { self.socket = socket }

    deinit { if !closed { Glibc.close(socket) } }

    static func open(port: Int) async throws -> LiveConnection {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw TestSetupError("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        return LiveConnection(socket: fd)
    }

    func send(method: String, path: String, headers: [String: String], body: Data?) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var bytes = Data(head.utf8)
        if let body { bytes.append(body) }
        try bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw TestSetupError("send: \(String(cString: strerror(errno)))") }
                sent += n
            }
        }
    }

    /// Drops the connection (as a browser tab that closes).
    func close() {
        guard !closed else { return }
        closed = true
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }

    /// Reads more bytes into `buffer` on a thread; false at the end of the stream.
    private func fill() async throws -> Bool {
        let socket = self.socket
        let data: Data? = await withCheckedContinuation { continuation in
            Thread {
                var chunk = [UInt8](repeating: 0, count: 256 << 10)
                let n = recv(socket, &chunk, chunk.count, 0)
                continuation.resume(returning: n > 0 ? Data(chunk[0..<n]) : (n == 0 ? Data() : nil))
            }.start()
        }
        guard let data else { throw TestSetupError("recv: timed out or failed (\(String(cString: strerror(errno))))") }
        if data.isEmpty { return false }
        buffer.append(data)
        return true
    }

    /// The status line and headers (names lowercased).
    func readHead() async throws -> (status: Int, headers: [String: String]) {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard try await fill() else { throw TestSetupError("the connection closed before the response head") }
        }
        let range = buffer.range(of: separator)!
        let head = String(decoding: buffer[buffer.startIndex..<range.lowerBound], as: UTF8.self)
        buffer = Data(buffer[range.upperBound...])
        let lines = head.components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        chunked = headers["transfer-encoding"]?.lowercased() == "chunked"
        return (status, headers)
    }

    /// The next decoded piece of the body; nil at its end.
    func readBodyPiece() async throws -> Data? {
        if !chunked {
            if !buffer.isEmpty { defer { buffer = Data() }; return buffer }
            return try await fill() ? readBodyPiece() : nil
        }
        while true {
            if let lineEnd = buffer.range(of: Data("\r\n".utf8)) {
                let sizeText = String(decoding: buffer[buffer.startIndex..<lineEnd.lowerBound], as: UTF8.self)
                let size = Int(sizeText.split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 { return nil }
                let needed = lineEnd.upperBound - buffer.startIndex + size + 2
                if buffer.count >= needed {
                    let start = lineEnd.upperBound
                    let piece = Data(buffer[start..<(start + size)])
                    buffer = Data(buffer[(start + size + 2)...])
                    return piece
                }
            }
            guard try await fill() else { return nil }
        }
    }

    /// The whole answer.
    func readResponse() async throws -> LiveResponse {
        let head = try await readHead()
        var body = Data()
        while let piece = try await readBodyPiece() { body.append(piece) }
        close()
        return LiveResponse(status: head.status, headers: head.headers, body: body)
    }
}

/// One message of an event stream.
struct LiveMessage: Sendable {
    var id: Int64?
    var event: String?
    var data: String = ""
    var comment: String?

    func object() -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
    }
}

/// The client side of `GET /api/v1/events`: parses messages as they arrive.
final class LiveEventStream: @unchecked Sendable {
    let connection: LiveConnection
    let status: Int
    let headers: [String: String]
    private var text = ""
    /// Every message read so far.
    private(set) var messages: [LiveMessage] = []
    /// The decoder of a gzip-encoded answer.
    let inflater: GzipInflater?
    /// Bytes of the body as sent (before decoding).
    private(set) var wireBytes = 0

    init(connection: LiveConnection, status: Int, headers: [String: String]) {
        self.connection = connection
        self.status = status
        self.headers = headers
        self.inflater = headers["content-encoding"] == "gzip" ? GzipInflater() : nil
    }

    /// Reads to the end of the body (throws if it does not end within the socket's timeout).
    func readToEnd() async throws {
        _ = try await read { _ in false }
    }

    /// Reads until `done(messages)` holds; false when the stream ended first. Each read waits at
    /// most the socket's 30 s timeout.
    func read(until done: ([LiveMessage]) -> Bool) async throws -> Bool {
        while !done(messages) {
            guard let piece = try await connection.readBodyPiece() else { return false }
            wireBytes += piece.count
            text += String(decoding: inflater?.feed(piece) ?? piece, as: UTF8.self)
            while let end = text.range(of: "\n\n") {
                let block = String(text[..<end.lowerBound])
                text = String(text[end.upperBound...])
                messages.append(Self.parse(block))
            }
        }
        return true
    }

    /// The messages that carry an event id.
    var events: [LiveMessage] { messages.filter { $0.id != nil } }

    func close() { connection.close() }

    static func parse(_ block: String) -> LiveMessage {
        var message = LiveMessage()
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { message.comment = line.dropFirst().trimmingCharacters(in: .whitespaces); continue }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = parts[1].hasPrefix(" ") ? String(parts[1].dropFirst()) : String(parts[1])
            switch parts[0] {
            case "id": message.id = Int64(value)
            case "event": message.event = value
            case "data": message.data += message.data.isEmpty ? value : "\n" + value
            default: break
            }
        }
        return message
    }
}
