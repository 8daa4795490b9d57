/// One endpoint: a method, a path template with `{name}` segments, the least role that may call
/// it (nil: no token needed) and its handler.
public struct Route: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case get = "GET", post = "POST", delete = "DELETE"
    }

    public typealias Handler = @Sendable (ServerRequest) async throws(APIError) -> ServerResponse

    /// What answers a request that lacks a valid token or session: an API route a JSON 401, a
    /// page a redirect (303) to the sign-in form, which comes back to the page afterwards.
    public enum Kind: Sendable {
        case api, page
    }

    public var method: Method
    public var path: String
    public var role: Role?
    public var kind: Kind
    /// Whether a signed-in browser may call it with its cookie (state-changing calls then need the
    /// CSRF header); API clients always may with a bearer token.
    public var handler: Handler

    public init(_ method: Method, _ path: String, role: Role?, kind: Kind = .api, handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.role = role
        self.kind = kind
        self.handler = handler
    }

    var segments: [Substring] { path.split(separator: "/") }

    /// The path parameters when `path` matches this route's template, else nil.
    func match(_ requestSegments: [Substring]) -> [String: String]? {
        let template = segments
        if template.last == "*" {
            guard requestSegments.count >= template.count - 1 else { return nil }
        } else {
            guard template.count == requestSegments.count else { return nil }
        }
        var parameters: [String: String] = [:]
        for (index, part) in template.enumerated() {
            if part == "*" {
                parameters["*"] = requestSegments[index...].joined(separator: "/")
                return parameters
            }
            let value = requestSegments[index]
            if part.hasPrefix("{") && part.hasSuffix("}") {
                guard let decoded = String(value).removingPercentEncoding, !decoded.isEmpty else { return nil }
                parameters[String(part.dropFirst().dropLast())] = decoded
            } else if part != value {
                return nil
            }
        }
        return parameters
    }
}

/// The routes of a server, matched in order.
public struct RouteTable: Sendable {
    public private(set) var routes: [Route]

    public init(_ routes: [Route]) { self.routes = routes }

    public enum Match {
        case found(Route, [String: String])
        /// The path exists but not with this method; the methods it has.
        case wrongMethod([Route.Method])
        case none
    }

    public func match(method: String, path: String) -> Match {
        let segments = path.split(separator: "/")
        var methods: [Route.Method] = []
        for route in routes {
            guard let parameters = route.match(segments) else { continue }
            if route.method.rawValue == method || (method == "HEAD" && route.method == .get) {
                return .found(route, parameters)
            }
            methods.append(route.method)
        }
        return methods.isEmpty ? .none : .wrongMethod(methods)
    }
}
