import Foundation
import Testing
@testable import GnomonApp
@testable import GnomonServer

/// The web UI's files and pages as the route table serves them, without a browser: caching,
/// the Content-Security-Policy, and the sign-in redirect of pages.
@Suite("Web UI routes")
struct WebUIRouteTests {
    @Test("every script and style sheet is served with its version as ETag")
    func assetsHaveETags() async throws {
        let table = RouteTable(WebUI.routes())
        for asset in WebUI.assets {
            guard case .found(let route, let parameters) = table.match(method: "GET", path: asset.path) else {
                Issue.record("\(asset.path) has no route"); continue
            }
            let response = try await route.handler(ServerRequest(method: "GET", path: asset.path, parameters: parameters,
                                                                  query: [("v", asset.version)]))
            #expect(response.status == 200)
            #expect(response.headers.contains { $0 == ("ETag", "\"\(asset.version)\"") })
            #expect(response.headers.contains { $0 == ("Cache-Control", "public, max-age=31536000, immutable") })
            let again = try await route.handler(ServerRequest(method: "GET", path: asset.path, parameters: parameters,
                                                               headers: ["if-none-match": "\"\(asset.version)\""]))
            #expect(again.status == 304, "\(asset.path) answers a known version with 304")
            #expect(again.headers.contains { $0 == ("Cache-Control", "no-cache") })
        }
    }

    @Test("the page shell links every asset by version and has no inline script or style")
    func shellHasNoInlineCode() {
        for asset in WebUI.assets { #expect(WebUI.shell.contains(asset.versionedPath)) }
        #expect(!WebUI.shell.contains("<script>"))
        #expect(!WebUI.shell.contains("<style"))
        #expect(!WebUI.shell.contains("style=\""))
        #expect(!WebUI.shell.contains(" on"), "no inline event handlers either")
        #expect(HTTPServer.contentSecurityPolicy.contains("script-src 'self';"))
        #expect(!HTTPServer.contentSecurityPolicy.contains("unsafe-inline"))
    }

    @Test("the sign-in page has no inline script and writes `next` into the form, escaped")
    func signInPage() {
        let page = SignInPage.html(message: nil, next: "/runs/3?task=a\"<b>")
        #expect(!page.contains("<script"))
        #expect(!page.contains("<style"))
        #expect(page.contains("value=\"/runs/3?task=a&quot;&lt;b&gt;\""))
        #expect(SignInPage.html(message: nil, next: "//evil.example/").contains("name=\"next\" id=\"next\" value=\"/\""))
    }

    struct RedirectCase: CustomTestStringConvertible, Sendable {
        let name: String
        let path: String
        let query: String?
        let location: String
        var testDescription: String { name }
    }

    @Test("a page without a session redirects to the sign-in form, which comes back to it", arguments: [
        RedirectCase(name: "the overview", path: "/", query: nil, location: "/login?next=/"),
        RedirectCase(name: "a run with a task chosen", path: "/runs/12", query: "task=load",
                     location: "/login?next=/runs/12%3Ftask%3Dload"),
        RedirectCase(name: "a job whose name needs encoding", path: "/jobs/a%20b", query: nil, location: "/login?next=/jobs/a%2520b"),
    ])
    func pageRedirects(_ example: RedirectCase) {
        let response = HTTPServer.signInRedirect(path: example.path, query: example.query)
        #expect(response.status == 303)
        #expect(response.headers.first { $0.0 == "Location" }?.1 == example.location)
    }
}
