import CGnomonCurl
import Foundation

/// One HTTP request through libcurl (loaded at its first use): a method, a URL, headers and an
/// optional body; the answer is kept whole (``send()``) or handed over as it arrives (``stream(_:)``).
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// The whole transfer's bound; nil for none (a stream that the caller ends).
    public var timeout: Duration?
    /// The bound on connecting.
    public var connectTimeout: Duration
    /// The most of the answer's body ``send()`` keeps.
    public var bodyLimit: Int

    /// The default ``bodyLimit``: far above any answer of Gnomon's API (a run of a thousand tasks
    /// is about a megabyte of JSON), low enough that a wrong URL cannot fill the memory.
    public static let defaultBodyLimit = 256 << 20

    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        timeout: Duration? = .seconds(30), connectTimeout: Duration = .seconds(10), bodyLimit: Int = defaultBodyLimit
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.bodyLimit = bodyLimit
    }

    /// Sends the request and keeps the answer's body (up to ``bodyLimit`` bytes).
    public func send() async -> Transfer.Outcome {
        await perform(onBody: nil)
    }

    /// Sends the request and hands the answer's body to `onBody` piece by piece, with the answer's
    /// HTTP status, on the transfer's thread, in order, as it arrives; `onBody` returns false to
    /// stop (the outcome is then cancelled). The outcome's `body` is empty.
    public func stream(_ onBody: @escaping @Sendable (_ status: Int, UnsafeRawBufferPointer) -> Bool) async -> Transfer.Outcome {
        await perform(onBody: BodySink(onBody))
    }

    private func perform(onBody sink: BodySink?) async -> Transfer.Outcome {
        let request = self
        return await Transfer.run { cancelled, result in
            let lines = request.headers.map { "\($0.name): \($0.value)" }
            withCStrings(lines) { headers in
                request.method.withCString { method in
                    request.url.withCString { url in
                        withBody(request.body) { body, length in
                            var options = gnomon_http_request_options()
                            options.method = method
                            options.url = url
                            options.headers = headers
                            options.header_count = lines.count
                            options.body = body
                            options.body_length = length
                            options.timeout_ms = request.timeout.map { Self.milliseconds($0) } ?? 0
                            options.connect_timeout_ms = Self.milliseconds(request.connectTimeout)
                            options.body_limit = request.bodyLimit
                            let context = sink.map { Unmanaged.passRetained($0) }
                            defer { context?.release() }
                            if let context {
                                options.on_body = { status, data, length, context in
                                    let sink = Unmanaged<BodySink>.fromOpaque(context!).takeUnretainedValue()
                                    return sink.take(Int(status), UnsafeRawBufferPointer(start: data, count: length)) ? 0 : 1
                                }
                                options.context = context.toOpaque()
                            }
                            _ = gnomon_http_request(&options, cancelled, result)
                        }
                    }
                }
            }
        }
    }

    /// A timeout in whole milliseconds for libcurl, at least 1 (0 would mean none).
    static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000))
    }
}

/// Calls `body` with the request body's bytes (NULL for none), alive for the call.
private func withBody<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
    guard let bytes else { return body(nil, 0) }
    // An empty array's buffer may have no address; a POST with an empty body still sends one.
    if bytes.isEmpty { return "".withCString { body(UnsafeRawPointer($0), 0) } }
    return bytes.withUnsafeBytes { body($0.baseAddress, $0.count) }
}

/// The receiver of a streamed body, passed through C as an opaque pointer.
private final class BodySink: @unchecked Sendable {
    let take: @Sendable (Int, UnsafeRawBufferPointer) -> Bool

    init(_ take: @escaping @Sendable (Int, UnsafeRawBufferPointer) -> Bool) {
        self.take = take
    }
}
