import Foundation

/// What a handler answers: a status, headers and a body that is either bytes or a stream.
public struct ServerResponse: Sendable {
    public enum Body: Sendable {
        case bytes(Data)
        /// Chunks written as they come; the stream ends the response. When the client goes away
        /// the iteration stops, which ends the stream's producer (`onTermination`).
        case stream(AsyncStream<Data>)
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body

    public init(status: Int = 200, headers: [(String, String)] = [], body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body (already encoded).
    public static func json(_ data: Data, status: Int = 200) -> ServerResponse {
        ServerResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: .bytes(data))
    }

    public static func text(_ text: String, type: String = "text/plain; charset=utf-8", status: Int = 200) -> ServerResponse {
        ServerResponse(status: status, headers: [("Content-Type", type)], body: .bytes(Data(text.utf8)))
    }

    public static func error(_ error: APIError) -> ServerResponse {
        .json(error.body, status: error.status)
    }
}
