import Foundation
import GnomonCore
import GnomonHTTPClient

/// Calls a daemon's JSON API for the CLI: the bearer token on every request, the answers decoded
/// into the types the local commands use, and every failure turned into the `AppError` (and exit
/// status) the same command gives on this machine, naming the server and how to fix it.
struct APIClient: Sendable {
    let server: RemoteServer

    /// The bound on one API call. The slowest answer is a trigger's, which the daemon gives up on
    /// after `TriggerRun.answerTimeout` (10 s).
    static let timeout: Duration = .seconds(30)
    /// The bound on connecting: a server that does not accept a connection in this long is down.
    static let connectTimeout: Duration = .seconds(10)

    /// GETs `path` and decodes its JSON answer.
    func get<T: Decodable>(_ path: String, query: [(String, String)] = [], as type: T.Type, what: String) async throws(AppError) -> T {
        try decode(try await call("GET", path, query: query), as: type, what: what)
    }

    /// POSTs a JSON `body` to `path` and decodes its JSON answer.
    func post<T: Decodable>(_ path: String, body: [UInt8] = Array("{}".utf8), as type: T.Type, what: String) async throws(AppError) -> T {
        try decode(try await call("POST", path, body: body), as: type, what: what)
    }

    /// Makes one call and returns the answer's body, or throws what went wrong.
    func call(_ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil) async throws(AppError) -> [UInt8] {
        let outcome = await request(method, path, query: query, body: body, timeout: Self.timeout).send()
        if let failure = failure(outcome, method: method, path: path, timeout: Self.timeout) { throw failure }
        return outcome.body
    }

    /// GETs `path` and hands the answer's body to `onBody` as it arrives (a download of any size).
    func stream(_ path: String, query: [(String, String)] = [], _ onBody: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) async throws(AppError) {
        // A refusal's JSON body is kept for its message, never written out as the download.
        let refused = ErrorBody()
        let outcome = await request("GET", path, query: query, body: nil, timeout: nil).stream { status, bytes in
            if (200..<300).contains(status) {
                onBody(bytes)
            } else if refused.bytes.count < 1 << 16 {
                refused.bytes.append(contentsOf: bytes)
            }
            return true
        }
        var kept = outcome
        kept.body = refused.bytes
        if let failure = failure(kept, method: "GET", path: path, timeout: nil) { throw failure }
    }

    private func request(_ method: String, _ path: String, query: [(String, String)], body: [UInt8]?, timeout: Duration?) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [
            ("Authorization", "Bearer \(server.token)"), ("Accept", "application/json"),
            ("User-Agent", "gnomon/\(GnomonVersion.current)"),
        ]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return HTTPRequest(
            method: method, url: server.url + path + Self.queryText(query), headers: headers, body: body,
            timeout: timeout, connectTimeout: Self.connectTimeout)
    }

    /// `?name=value&...`, each part percent-encoded; empty for no items.
    static func queryText(_ items: [(String, String)]) -> String {
        items.isEmpty ? "" : "?" + items.map { "\(segment($0.0))=\(segment($0.1))" }.joined(separator: "&")
    }

    /// One path segment or query part, percent-encoded (a task named `shard[3]` is `shard%5B3%5D`).
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The decoder of the API's JSON: the shapes of the CLI's `--json`, dates in ISO 8601.
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISOTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not an ISO 8601 time")
            }
            return date
        }
        return decoder
    }

    private func decode<T: Decodable>(_ body: [UInt8], as type: T.Type, what: String) throws(AppError) -> T {
        do {
            return try Self.decoder().decode(type, from: Data(body))
        } catch {
            throw AppError(.environment, "\(server.url) answered with \(what) in a shape this gnomon (\(GnomonVersion.current)) "
                + "cannot read (\(error)); use the same version of gnomon as the daemon")
        }
    }
}

extension APIClient {
    /// What went wrong with a call, as the local command would say it with its exit status; nil
    /// when it succeeded (2xx).
    func failure(_ outcome: Transfer.Outcome, method: String, path: String, timeout: Duration?) -> AppError? {
        let url = server.url
        let detail = outcome.error.isEmpty ? "" : " (\(outcome.error))"
        switch outcome.failure {
        case nil:
            return (200..<300).contains(outcome.status) ? nil : refusal(status: outcome.status, body: outcome.body)
        case .timedOut:
            return AppError(.timedOut, "\(url) did not answer \(method) \(path) within "
                + "\(DurationText.format(timeout ?? Self.connectTimeout))\(detail); check the daemon's log")
        case .couldNotConnect:
            return AppError(.environment, "could not connect to \(url)\(detail); check that a gnomon daemon serves there "
                + "(gnomon daemon --listen HOST:PORT) and that --server or GNOMON_SERVER names it")
        case .tls:
            return AppError(.environment, "TLS with \(url) failed\(detail); check that the URL's scheme is right and that this "
                + "machine trusts the server's certificate (Debian: its CA in /usr/local/share/ca-certificates, then update-ca-certificates)")
        case .broken:
            return AppError(.environment, "the connection to \(url) broke during \(method) \(path)\(detail); try again")
        case .cancelled:
            return AppError(.cancelled, "\(method) \(url)\(path) was cancelled")
        case .other:
            return AppError(.environment, "could not call \(url)\(path)\(detail)")
        }
    }

    /// A non-2xx answer as the error the same command gives locally: 404 not found (3), 409 a
    /// refused change (1), 400 and 422 a wrong value (2), 504 timed out (6); 401 and 403 (a
    /// wrong token or role), 503 and anything else are the environment's (4).
    func refusal(status: Int, body: [UInt8]) -> AppError {
        let url = server.url
        let message = Self.errorMessage(body) ?? "HTTP \(status)" + Self.quoted(body)
        switch status {
        case 401:
            return AppError(.environment, "\(url) refused the token from \(server.tokenOrigin): \(message)")
        case 403:
            return AppError(.environment, "\(url) refused: \(message)")
        case 400, 422:
            return AppError(.usage, "\(url): \(message)")
        case 404:
            return AppError(.notFound, "\(url): \(message)")
        case 409:
            return AppError(.failure, "\(url): \(message)")
        case 504:
            return AppError(.timedOut, "\(url): \(message)")
        default:
            return AppError(.environment, "\(url) answered HTTP \(status): \(message)")
        }
    }

    /// The message of the API's `{"error": {"code", "message"}}`, if the body is one.
    static func errorMessage(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let error = object["error"] as? [String: Any], let message = error["message"] as? String else { return nil }
        return message
    }

    /// The start of a body that is not the API's (a proxy's page), on one line.
    static func quoted(_ body: [UInt8]) -> String {
        let folded = String(decoding: body.prefix(400), as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return folded.isEmpty ? "" : ": " + String(folded.prefix(200))
    }
}

/// The body of a streamed answer that is not a success: kept (up to 64 KiB) for its message.
private final class ErrorBody: @unchecked Sendable {
    /// Only the transfer's one thread touches it, in order; read after the transfer ended.
    var bytes: [UInt8] = []
}
