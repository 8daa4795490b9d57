import Foundation

/// A refused request: an HTTP status, a stable machine-readable code and a message that says what
/// to fix. Written as `{"error": {"code": ..., "message": ...}}`.
public struct APIError: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String

    public init(status: Int, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func badRequest(_ message: String) -> APIError { APIError(status: 400, code: "bad_request", message) }
    public static func unauthorized(_ message: String) -> APIError { APIError(status: 401, code: "unauthorized", message) }
    public static func forbidden(_ message: String) -> APIError { APIError(status: 403, code: "forbidden", message) }
    public static func notFound(_ message: String) -> APIError { APIError(status: 404, code: "not_found", message) }
    public static func methodNotAllowed(_ message: String) -> APIError { APIError(status: 405, code: "method_not_allowed", message) }
    public static func conflict(_ message: String) -> APIError { APIError(status: 409, code: "conflict", message) }
    public static func tooLarge(_ message: String) -> APIError { APIError(status: 413, code: "body_too_large", message) }
    public static func unsupportedMediaType(_ message: String) -> APIError {
        APIError(status: 415, code: "unsupported_media_type", message)
    }
    public static func unprocessable(_ message: String) -> APIError { APIError(status: 422, code: "invalid", message) }
    public static func unavailable(_ message: String) -> APIError { APIError(status: 503, code: "unavailable", message) }
    public static func timedOut(_ message: String) -> APIError { APIError(status: 504, code: "timed_out", message) }
    public static func `internal`(_ message: String) -> APIError { APIError(status: 500, code: "internal", message) }

    /// The JSON body.
    public var body: Data {
        let object: [String: Any] = ["error": ["code": code, "message": message]]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}
