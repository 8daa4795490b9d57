import Foundation
import Glibc

/// A real HTTP server (python3's `http.server`) on 127.0.0.1 that records every request to a
/// file in its folder and answers each one the same way; for webhook and PagerDuty tests.
public struct HTTPReceiver: Sendable {
    /// How it answers.
    public enum Behaviour: Sendable {
        /// This status with this text body.
        case answer(status: Int, body: String)
        /// Reads the request, records it, and never answers (until stopped).
        case hang
    }

    /// One request as received.
    public struct Request: Decodable, Sendable {
        public var method: String
        public var path: String
        /// Every header in the order received, names as sent.
        public var headers: [[String]]
        /// The body, base64.
        var body64: String

        /// The body's exact bytes.
        public var body: [UInt8] { Array(Data(base64Encoded: body64) ?? Data()) }

        /// The value of the first header called `name` (any case).
        public func header(_ name: String) -> String? {
            headers.first { $0.first?.lowercased() == name.lowercased() }?.last
        }

        enum CodingKeys: String, CodingKey { case method, path, headers, body64 = "body" }
    }

    private let receiver: ReceiverProcess
    public let folder: String

    /// Where to post: `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(receiver.port)" }
    public var port: Int { receiver.port }
    public var pid: Int32 { receiver.process.pid }

    /// Starts a receiver recording into `folder` (made when missing); `port` 0 takes a free one,
    /// another reuses a port (a receiver back up after being down).
    public static func start(in folder: String, behaviour: Behaviour, port: Int = 0) async throws -> HTTPReceiver {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let arguments: [String]
        switch behaviour {
        case .answer(let status, let body): arguments = [folder, String(port), String(status), body]
        case .hang: arguments = [folder, String(port), "hang", ""]
        }
        return HTTPReceiver(receiver: try await ReceiverProcess.start(script: script, in: folder, arguments: arguments), folder: folder)
    }

    /// The requests received so far, oldest first.
    public func requests() throws -> [Request] {
        try ReceiverProcess.records(Request.self, prefix: "request", in: folder)
    }

    /// Kills the receiver and waits for its exit.
    public func stop() async { await receiver.stop() }

    /// A free port on 127.0.0.1 that nothing listens on (bound, read and closed): a receiver
    /// that is down.
    public static func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSetupError("socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("could not bind a port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The receiver's program, beside this file.
    static let script = ReceiverProcess.script(named: "http-receiver.py")
}
