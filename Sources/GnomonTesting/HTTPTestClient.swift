import Foundation
import Glibc

/// A plain HTTP/1.1 client over a TCP socket, for tests of the daemon's server: every byte sent
/// is the test's own, so it can also send malformed, slow or oversized requests.
public struct HTTPTestClient: Sendable {
    /// One answer.
    public struct Response: Sendable {
        public var status: Int
        /// Header names lowercased; a repeated header keeps its last value (Set-Cookie: see `cookies`).
        public var headers: [String: String]
        public var cookies: [String]
        public var body: Data

        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed as JSON.
        public func json() throws -> Any { try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }

        /// `error.code` of a JSON error body.
        public var errorCode: String? { ((try? json()) as? [String: Any]).flatMap { ($0["error"] as? [String: Any])?["code"] as? String } }
        /// `error.message` of a JSON error body.
        public var errorMessage: String? {
            ((try? json()) as? [String: Any]).flatMap { ($0["error"] as? [String: Any])?["message"] as? String }
        }
    }

    public let host: String
    public let port: Int

    /// A client of `url` (`http://HOST:PORT`).
    public init(url: String) throws {
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            throw TestSetupError("\(url) is not http://HOST:PORT")
        }
        self.host = host
        self.port = port
    }

    /// Sends one request (with `Connection: close`) and reads the whole answer.
    public func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil, token: String? = nil,
        timeout: TimeInterval = 30
    ) async throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        if let body {
            all["Content-Length"] = String(body.count)
            if all["Content-Type"] == nil { all["Content-Type"] = "application/json" }
        }
        for (name, value) in all.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        var bytes = Data(head.utf8)
        if let body { bytes.append(body) }
        return try await raw(bytes, timeout: timeout)
    }

    /// Sends `bytes` as they are and parses what comes back until the server closes.
    public func raw(_ bytes: Data, timeout: TimeInterval = 30) async throws -> Response {
        let socket = try connect(timeout: timeout)
        defer { close(socket) }
        try send(bytes, on: socket)
        let answer = try await Task.detached { try Self.readAll(socket) }.value
        return try Self.parse(answer)
    }

    /// An open connection to the server (the caller closes it).
    public func connect(timeout: TimeInterval = 30) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw TestSetupError("cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { throw TestSetupError("socket: \(String(cString: strerror(errno)))") }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        guard Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw TestSetupError("cannot connect to \(host):\(port): \(message)")
        }
        return fd
    }

    /// Writes all of `bytes` to `socket`.
    public func send(_ bytes: Data, on socket: Int32) throws {
        try bytes.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let count = Glibc.send(socket, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if count < 0 {
                    if errno == EINTR { continue }
                    throw TestSetupError("send: \(String(cString: strerror(errno)))")
                }
                sent += count
            }
        }
    }

    public static func readAll(_ socket: Int32) throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                if data.isEmpty { throw TestSetupError("recv: \(String(cString: strerror(errno)))") }
                return data
            }
            data.append(contentsOf: buffer[0..<count])
            if isComplete(data) { return data }
        }
    }

    /// Whether `data` already holds a whole answer: its head and all of a body whose length the
    /// head tells (Content-Length, or chunked up to the last chunk), or a status without a body.
    /// Servers that keep the connection open despite `Connection: close` (chromedriver does)
    /// are then not waited on until the read times out.
    static func isComplete(_ data: Data) -> Bool {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else { return false }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).lowercased().components(separatedBy: "\r\n")
        let status = head.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        if (100..<200).contains(status) || status == 204 || status == 304 { return true }
        let bodyCount = data.count - (end.upperBound - data.startIndex)
        for line in head.dropFirst() {
            if line.hasPrefix("content-length:"), let length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) {
                return bodyCount >= length
            }
            if line.hasPrefix("transfer-encoding:"), line.contains("chunked") {
                return data.suffix(5) == Data("0\r\n\r\n".utf8)
            }
        }
        return false
    }

    /// Parses a whole HTTP/1.1 answer (Content-Length, chunked, or read to close).
    public static func parse(_ data: Data) throws -> Response {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw TestSetupError("no complete HTTP answer: \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestSetupError("bad status line \(head[0])") }
        var headers: [String: String] = [:]
        var cookies: [String] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
            if name == "set-cookie" { cookies.append(value) }
        }
        var body = Data(data[end.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return Response(status: status, headers: headers, cookies: cookies, body: body)
    }

    static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var index = data.startIndex
        while index < data.endIndex, let lineEnd = data[index...].range(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            let stop = min(data.endIndex, start + size)
            out.append(data[start..<stop])
            index = min(data.endIndex, stop + 2)
        }
        return out
    }
}
