import Foundation

/// Signing a browser in and out: the token is exchanged once for a session cookie.
extension HTTPServer {
    static func signInRoutes(_ auth: Authenticator) -> [Route] {
        [
            Route(.get, "/login", role: nil) { request throws(APIError) in
                .text(SignInPage.html(message: nil, next: request.query("next")), type: "text/html; charset=utf-8")
            },
            Route(.get, "/login.css", role: nil) { _ throws(APIError) in
                var response = ServerResponse.text(SignInPage.stylesheet, type: "text/css; charset=utf-8")
                response.headers.append(("Cache-Control", "public, max-age=3600"))
                return response
            },
            Route(.post, "/login", role: nil) { request throws(APIError) in try signIn(request, auth: auth) },
            Route(.post, "/logout", role: nil) { request throws(APIError) in
                if let id = Authenticator.cookie(Authenticator.cookieName, in: request.headers["cookie"]) { auth.sessions.end(id) }
                var response = ServerResponse(status: 303, headers: [("Location", "/login")], body: .bytes(Data()))
                response.headers.append(("Set-Cookie", "\(Authenticator.cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"))
                return response
            },
            Route(.get, "/api/v1/session", role: .read) { request throws(APIError) in
                let principal = request.principal!
                var object: [String: Any] = ["name": principal.name, "role": principal.role.rawValue]
                if let id = Authenticator.cookie(Authenticator.cookieName, in: request.headers["cookie"]),
                   request.headers["authorization"] == nil, let session = auth.sessions.session(id, now: Date()) {
                    object["csrf"] = session.csrf
                }
                return .json(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            },
        ]
    }

    /// `POST /login` with a form (`token=...&next=/path`) from the sign-in page, or JSON
    /// (`{"token": "..."}`) from a script: on success a session cookie and either a redirect (form)
    /// or `{"name","role","csrf"}` (JSON).
    private static func signIn(_ request: ServerRequest, auth: Authenticator) throws(APIError) -> ServerResponse {
        let isForm = request.headers["content-type"]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        let token: String, next: String
        if isForm {
            let fields = HTTPServer.queryItems(String(decoding: request.body, as: UTF8.self))
            token = fields.last { $0.name == "token" }?.value ?? ""
            next = fields.last { $0.name == "next" }?.value ?? "/"
        } else {
            let object = try request.jsonObject(allowed: ["token"])
            guard let value = object["token"] as? String else {
                throw .badRequest("the body needs \"token\": the API token to sign in with")
            }
            (token, next) = (value, "/")
        }
        _ = try? auth.tokens.reloadIfChanged()
        guard let principal = auth.tokens.principal(for: token.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            if isForm {
                return .text(SignInPage.html(message: "That token is not known to this daemon.", next: next),
                             type: "text/html; charset=utf-8", status: 401)
            }
            throw .unauthorized("the token is not known to this daemon; use the admin token in \(auth.tokens.adminTokenPath) or one from the tokens file")
        }
        let (id, session) = auth.sessions.start(principal, now: Date())
        let secure = request.headers["x-forwarded-proto"]?.lowercased() == "https" ? "; Secure" : ""
        let cookie = "\(Authenticator.cookieName)=\(id); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(Int(SessionStore.lifetime))\(secure)"
        if isForm {
            // Only a path on this server: never redirect a signed-in browser elsewhere.
            let target = next.hasPrefix("/") && !next.hasPrefix("//") ? next : "/"
            return ServerResponse(status: 303, headers: [("Location", target), ("Set-Cookie", cookie)], body: .bytes(Data()))
        }
        let object: [String: Any] = ["name": principal.name, "role": principal.role.rawValue, "csrf": session.csrf]
        var response = ServerResponse.json(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        response.headers.append(("Set-Cookie", cookie))
        return response
    }
}

/// The sign-in form (the rest of the pages are the web UI's). No inline script or style: the
/// Content-Security-Policy allows neither; `next` is written into the form by the server.
enum SignInPage {
    static func html(message: String?, next: String?) -> String {
        let target = next.flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil } ?? "/"
        return """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Gnomon</title>
        <link rel="stylesheet" href="/login.css"></head><body>
        <h1>Gnomon</h1>
        \(message.map { "<p class=\"error\" role=\"alert\">\(escape($0))</p>" } ?? "")
        <form method="post" action="/login"><label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
        <input type="hidden" name="next" id="next" value="\(escape(target))">
        <button type="submit">Sign in</button></form>
        <p>The daemon wrote its admin token to <code>$GNOMON_HOME/api-token</code> at its first start.</p>
        </body></html>
        """
    }

    static let stylesheet = """
        body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}
        input{width:100%;font:inherit;padding:.5rem;box-sizing:border-box}button{font:inherit;padding:.5rem 1rem;margin-top:.75rem}
        .error{color:#a00;font-weight:bold}
        """

    /// Text made safe inside HTML element content and double-quoted attributes.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
