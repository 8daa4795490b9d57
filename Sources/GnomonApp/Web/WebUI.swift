import Foundation
import GnomonServer

/// The web UI: one page shell for every screen (the scripts draw the screen from the path and
/// the JSON API), and its script and style files. Pages need a signed-in browser; a browser
/// without a session is sent to the sign-in form. The files hold no data and need no token.
enum WebUI {
    /// Every file under `/ui/`, in the order the shell loads the scripts.
    static let assets: [WebAsset] = [
        WebAsset.styleCSS, WebAsset.appJS, WebAsset.listPagesJS, WebAsset.jobPageJS, WebAsset.graphJS,
        WebAsset.logViewJS, WebAsset.runPageJS, WebAsset.runBigPageJS,
    ]

    /// The screens' paths; the scripts route among them without reloading.
    static let pagePaths = ["/", "/jobs", "/jobs/{job}", "/runs/{id}"]

    static func routes() -> [Route] {
        let byName = Dictionary(uniqueKeysWithValues: assets.map { ($0.name, $0) })
        var routes = pagePaths.map { path in
            Route(.get, path, role: .read, kind: .page) { _ throws(APIError) in
                .text(shell, type: "text/html; charset=utf-8")
            }
        }
        routes.append(Route(.get, "/ui/{file}", role: nil) { request throws(APIError) in
            guard let asset = byName[request.parameter("file")] else {
                throw .notFound("no such file of the web UI: /ui/\(request.parameter("file"))")
            }
            return asset.response(to: request)
        })
        return routes
    }

    /// The page every screen starts from: a header, an empty main area, the scripts.
    static let shell: String = {
        let styles = assets.filter { $0.contentType.hasPrefix("text/css") }
            .map { "<link rel=\"stylesheet\" href=\"\($0.versionedPath)\">" }.joined()
        let scripts = assets.filter { $0.contentType.hasPrefix("text/javascript") }
            .map { "<script defer src=\"\($0.versionedPath)\"></script>" }.joined(separator: "\n")
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Gnomon</title>\(styles)
            \(scripts)
            </head><body>
            <header class="top"><a class="brand" href="/" data-nav>Gnomon</a>
            <nav><a href="/" data-nav>Overview</a><a href="/jobs" data-nav>Jobs</a></nav>
            <span id="who" class="who"></span>
            <form method="post" action="/logout" id="logout"><button type="submit">Sign out</button></form></header>
            <div id="banners" aria-live="polite"></div>
            <main id="app" tabindex="-1"><p class="muted">Loading…</p></main>
            </body></html>
            """
    }()
}
