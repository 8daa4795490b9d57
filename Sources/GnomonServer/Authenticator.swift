import Foundation

/// Decides who a request comes from and whether it may call a route: a bearer token, or a browser
/// session cookie with the CSRF header on state-changing calls.
public struct Authenticator: Sendable {
    public static let cookieName = "gnomon_session"
    public static let csrfHeader = "x-gnomon-csrf"

    public let tokens: TokenStore
    public let sessions: SessionStore

    public init(tokens: TokenStore, sessions: SessionStore) {
        self.tokens = tokens
        self.sessions = sessions
    }

    /// The principal for a request to `route`, or the refusal (401 without or with an unknown
    /// token, 403 for a role too low or a cross-site request).
    public func authorize(route: Route, method: String, headers: [String: String], now: Date) throws(APIError) -> Principal? {
        guard let needed = route.role else { return nil }
        let principal = try identify(method: method, headers: headers, now: now)
        guard principal.role >= needed else {
            throw .forbidden("the token \"\(principal.name)\" has the role \(principal.role.rawValue); "
                + "\(method) \(route.path) needs \(needed.rawValue) or above (ask an admin for such a token, see Docs/server.md)")
        }
        return principal
    }

    /// Who the request comes from, whatever the route.
    public func identify(method: String, headers: [String: String], now: Date) throws(APIError) -> Principal {
        if let authorization = headers["authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw .unauthorized("the Authorization header must be `Bearer TOKEN`")
            }
            _ = try? tokens.reloadIfChanged()
            guard let principal = tokens.principal(for: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
                throw .unauthorized("the bearer token is not known to this daemon; use the admin token in "
                    + "\(tokens.adminTokenPath) or a token from the tokens file")
            }
            return principal
        }
        if let id = Self.cookie(Self.cookieName, in: headers["cookie"]) {
            guard let session = sessions.session(id, now: now) else {
                throw .unauthorized("the browser session has ended; sign in again at /login")
            }
            if method != "GET" && method != "HEAD" {
                guard let presented = headers[Self.csrfHeader], presented == session.csrf else {
                    throw .forbidden("cross-site request refused: a signed-in page sends the \(Self.csrfHeader) header with "
                        + "every change; API clients send Authorization: Bearer TOKEN instead of the cookie")
                }
            }
            return session.principal
        }
        throw .unauthorized("this needs a token: send `Authorization: Bearer TOKEN` (the admin token is in "
            + "\(tokens.adminTokenPath)) or sign in at /login")
    }

    /// The value of cookie `name` in a Cookie header.
    static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
