import Foundation
import GnomonTesting
import Testing

/// A browser signs in once with a token and gets an HttpOnly, SameSite=Strict session cookie;
/// changes made with the cookie need the session's CSRF token.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ServerSessionTests {
    @Test
    func signInSessionCookieCSRFAndSignOut() async throws {
        let fixture = try await ServerFixture.start()
        let daemon = fixture.daemon
        let attributes = try FileManager.default.attributesOfItem(atPath: daemon.home.home + "/api-token")
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the admin token file must be readable by its owner only")

        let signIn = try await daemon.request("POST", "/login", json: "{\"token\": \"\(fixture.tokens["operator"]!)\"}", token: "")
        #expect(signIn.status == 200, "\(signIn.text)")
        let setCookie = try #require(signIn.cookies.first)
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] { #expect(setCookie.contains(attribute), "\(setCookie)") }
        let cookie = String(setCookie.split(separator: ";")[0])
        let csrf = try #require(JSON.parse(signIn.body)["csrf"]?.string)
        #expect(try JSON.parse(signIn.body)["role"]?.string == "operate")

        struct Step: Sendable {
            var name: String
            var method: String
            var path: String
            var headers: [String: String]
            var status: Int
            var says: String? = nil
        }
        let steps = [
            Step(name: "a read with the cookie", method: "GET", path: "/api/v1/jobs", headers: ["Cookie": cookie], status: 200),
            Step(name: "the session names its CSRF token", method: "GET", path: "/api/v1/session", headers: ["Cookie": cookie], status: 200,
                 says: csrf),
            Step(name: "a change without the CSRF header", method: "POST", path: "/api/v1/jobs/slow/pause", headers: ["Cookie": cookie],
                 status: 403, says: "cross-site"),
            Step(name: "a change with a wrong CSRF header", method: "POST", path: "/api/v1/jobs/slow/pause",
                 headers: ["Cookie": cookie, "X-Gnomon-CSRF": String(csrf.reversed())], status: 403, says: "cross-site"),
            Step(name: "a change with the CSRF header", method: "POST", path: "/api/v1/jobs/slow/pause",
                 headers: ["Cookie": cookie, "X-Gnomon-CSRF": csrf], status: 200),
            Step(name: "a made-up session", method: "GET", path: "/api/v1/jobs", headers: ["Cookie": "gnomon_session=forged"], status: 401,
                 says: "sign in again"),
        ]
        for step in steps {
            let response = try await daemon.client.request(step.method, step.path, headers: step.headers, body: step.method == "POST" ? Data("{}".utf8) : nil)
            #expect(response.status == step.status, "\(step.name): \(response.status) \(response.text)")
            if let says = step.says { #expect(response.text.contains(says), "\(step.name): \(response.text)") }
        }

        let form = ["Content-Type": "application/x-www-form-urlencoded"]
        let redirected = try await daemon.client.request(
            "POST", "/login", headers: form, body: Data("token=\(fixture.tokens["viewer"]!)&next=%2Fjobs%2Fhello".utf8))
        #expect(redirected.status == 303 && redirected.headers["location"] == "/jobs/hello", "\(redirected.headers)")
        let offsite = try await daemon.client.request(
            "POST", "/login", headers: form, body: Data("token=\(fixture.tokens["viewer"]!)&next=%2F%2Fevil.example".utf8))
        #expect(offsite.headers["location"] == "/", "a sign-in never redirects to another site: \(offsite.headers)")
        let refused = try await daemon.client.request("POST", "/login", headers: form, body: Data("token=wrong&next=%2F".utf8))
        #expect(refused.status == 401 && refused.text.contains("not known"), "\(refused.text)")
        #expect(refused.cookies.isEmpty)

        let signOut = try await daemon.client.request("POST", "/logout", headers: ["Cookie": cookie])
        #expect(signOut.status == 303 && signOut.cookies.first?.contains("Max-Age=0") == true)
        let after = try await daemon.client.request("GET", "/api/v1/jobs", headers: ["Cookie": cookie])
        #expect(after.status == 401, "a signed-out session no longer works: \(after.text)")

        #expect(await daemon.stop() == 0)
        fixture.expectNoTokenIn(daemon.log)
    }

    @Test
    func aTokensFileEditedWhileTheDaemonRunsTakesEffectAndAnInvalidOneKeepsTheLastGoodTokens() async throws {
        let fixture = try await ServerFixture.start()
        let daemon = fixture.daemon
        let file = daemon.home.path("tokens")
        let newcomer = String(repeating: "c3", count: 20)
        // A different size and a later modification time: the file is read again at the next request.
        try "viewer read \(fixture.tokens["viewer"]!)\nnewcomer admin \(newcomer)\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: file)
        #expect(try await daemon.request("GET", "/api/v1/jobs", token: newcomer).status == 200)
        #expect(try await daemon.request("GET", "/api/v1/jobs", token: fixture.tokens["operator"]!).status == 401,
                "a token removed from the file stops working")
        try "viewer read short\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(10)], ofItemAtPath: file)
        #expect(try await daemon.request("GET", "/api/v1/jobs", token: newcomer).status == 200,
                "an invalid file keeps the last good tokens")
        #expect(await daemon.stop() == 0)
    }
}
