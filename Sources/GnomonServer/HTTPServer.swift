import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The daemon's HTTP server: matches a request to its route, authenticates it, reads its body
/// within the limit and writes the handler's answer. Every failure is a JSON error with its
/// status; nothing a client sends can crash the process or hang a handler.
public final class HTTPServer: Sendable {
    /// The largest request body read (1 MiB): API bodies are small JSON objects.
    public static let maxBodyBytes = 1 << 20
    /// A connection that neither reads nor writes for this long is closed (event streams send a
    /// heartbeat every 15 s, so a live one never is).
    public static let idleTimeout: TimeAmount = .seconds(60)
    /// Sent with every answer: scripts, styles and connections only from this server, no inline
    /// script or style, no framing. The pages keep their scripts and styles in separate files.
    public static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        + "frame-ancestors 'none'"

    public let address: ListenAddress
    let table: RouteTable
    let authenticator: Authenticator
    let logger: Logger
    private let bound = Mutex<(host: String, port: Int)?>(nil)
    private let ready = AsyncStream<Void>.makeStream()

    public init(address: ListenAddress, routes: [Route], authenticator: Authenticator, logger: Logger) {
        self.address = address
        self.table = RouteTable(routes + Self.signInRoutes(authenticator))
        self.authenticator = authenticator
        self.logger = logger
    }

    /// The address actually bound (the port chosen when 0 was asked), once listening.
    public var boundAddress: (host: String, port: Int)? { bound.withLock { $0 } }

    /// Waits until the server listens (or `run` failed and returned).
    public func waitUntilListening() async {
        for await _ in ready.stream { return }
    }

    /// Serves until the calling task is cancelled.
    /// - Throws: `.cannotListen` when the address cannot be bound (in use, not this machine's).
    public func run() async throws(ServerSetupError) {
        guard case .tcp(let host, let port) = address else { return }
        let responder = CallbackResponder<BasicRequestContext> { [self] request, _ in
            await self.respond(to: request)
        }
        let app = Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: Self.idleTimeout)),
            configuration: .init(address: .hostname(host, port: port), serverName: "gnomon"),
            onServerRunning: { [self] channel in
                if let local = channel.localAddress { bound.withLock { $0 = (host, local.port ?? port) } }
                ready.continuation.yield()
                ready.continuation.finish()
            },
            logger: quietLogger())
        defer { ready.continuation.finish() }
        do {
            try await app.run()
        } catch is CancellationError {
        } catch {
            if Task.isCancelled { return }
            throw .cannotListen("could not serve on \(address): \(error); choose another --listen HOST:PORT, or --listen none")
        }
    }

    /// Hummingbird's own logger, limited to warnings: request lines never carry tokens anyway,
    /// but nothing else it logs at lower levels is needed.
    private func quietLogger() -> Logger {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        return quiet
    }

    func respond(to request: Request) async -> Response {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let method = request.method.rawValue
        let path = request.uri.path
        let response: ServerResponse
        do {
            response = try await handle(request, method: method, path: path, headers: headers)
        } catch {
            response = Self.refusal(error, method: method, path: path)
        }
        return Self.hummingbird(response, head: method == "HEAD")
    }

    private func handle(_ request: Request, method: String, path: String, headers: [String: String]) async throws(APIError) -> ServerResponse {
        let route: Route, parameters: [String: String]
        switch table.match(method: method, path: path) {
        case .found(let found, let values): (route, parameters) = (found, values)
        case .wrongMethod(let methods):
            throw .methodNotAllowed("\(method) is not allowed on \(path); use \(methods.map(\.rawValue).joined(separator: " or "))")
        case .none:
            throw .notFound("no such endpoint: \(path); the API is described at /api/v1/openapi.json")
        }
        let principal: Principal?
        do {
            principal = try authenticator.authorize(route: route, method: method, headers: headers, now: Date())
        } catch where route.kind == .page && error.status == 401 {
            return Self.signInRedirect(path: path, query: request.uri.query)
        }
        var body = Data()
        if method == "POST" || method == "DELETE" {
            var request = request
            do {
                let buffer = try await request.collectBody(upTo: Self.maxBodyBytes)
                body = Data(buffer.readableBytesView)
            } catch {
                throw .tooLarge("the request body is larger than \(Self.maxBodyBytes) bytes; API bodies are small JSON objects")
            }
        }
        let query = Self.queryItems(request.uri.query)
        let serverRequest = ServerRequest(
            method: method, path: path, parameters: parameters, query: query, headers: headers, body: body,
            principal: principal)
        return try await route.handler(serverRequest)
    }

    /// A page asked for without a session: 303 to the sign-in form, which returns to it.
    static func signInRedirect(path: String, query: String?) -> ServerResponse {
        var target = path
        if let query, !query.isEmpty { target += "?" + query }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        let next = target.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
        return ServerResponse(status: 303, headers: [("Location", "/login?next=" + next)], body: .bytes(Data()))
    }

    static func refusal(_ error: APIError, method: String, path: String) -> ServerResponse {
        var response = ServerResponse.error(error)
        if error.status == 401 { response.headers.append(("WWW-Authenticate", "Bearer realm=\"gnomon\"")) }
        return response
    }

    static func queryItems(_ query: String?) -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func hummingbird(_ response: ServerResponse, head: Bool) -> Response {
        var fields = HTTPFields()
        if !response.headers.contains(where: { $0.0.lowercased() == "cache-control" }) { fields[.cacheControl] = "no-store" }
        fields[.init("X-Content-Type-Options")!] = "nosniff"
        fields[.init("Content-Security-Policy")!] = contentSecurityPolicy
        fields[.init("Referrer-Policy")!] = "same-origin"
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        let status = HTTPResponse.Status(code: response.status)
        switch response.body {
        case .bytes(let data):
            if head {
                fields[.contentLength] = String(data.count)
                return Response(status: status, headers: fields, body: .init())
            }
            return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .stream(let chunks):
            let body = ResponseBody(asyncSequence: chunks.map { ByteBuffer(bytes: $0) })
            return Response(status: status, headers: fields, body: head ? .init() : body)
        }
    }
}
