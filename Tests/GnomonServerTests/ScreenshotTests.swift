import Foundation
import GnomonTesting
import Testing

/// Every screen at desktop and phone width: no error on any, nothing wider than a phone, and a
/// screenshot of each. `scripts/ui-screenshots` runs this with `GNOMON_UI_SCREENSHOTS=Docs/images`
/// to refresh the pictures of Docs/server.md; otherwise they go to a temporary folder.
@Suite("Web UI screens", .needsBrowser, .serialized)
struct ScreenshotTests {
    static let folder: String = {
        if let chosen = ProcessInfo.processInfo.environment["GNOMON_UI_SCREENSHOTS"], !chosen.isEmpty { return chosen }
        return NSTemporaryDirectory() + "gnomon-ui-screenshots"
    }()

    static func jobs(_ home: TemporaryHome) -> [String: String] {
        [
            "etl": """
                schedule: "0 2 * * *"
                tasks:
                  extract:
                    run: |
                      echo "extracting 3 tables"
                      echo "orders: 1200 rows"
                      echo "customers: 310 rows"
                  transform:
                    run: |
                      echo "joining"
                      echo "done"
                    depends_on: [extract]
                  load:
                    run: echo "loaded 1510 rows"
                    depends_on: [transform]
                  report:
                    run: echo "report sent"
                    after: [load]
                  audit:
                    run: echo "audit ok"
                    after: [extract]
                """,
            "nightly-backup": """
                schedule: "30 3 * * *"
                tasks:
                  snapshot:
                    run: |
                      echo "snapshot failed: disk full" >&2
                      exit 3
                  upload:
                    run: echo upload
                    depends_on: [snapshot]
                """,
            "reindex": """
                schedule: "@every 6h"
                tasks:
                  scan:
                    run: echo scanning
                  index:
                    run: |
                      echo "indexing"
                      while [ ! -e '\(home.path("never"))' ]; do sleep 0.1; done
                    depends_on: [scan]
                """,
            "broken": """
                schedule: "61 * * * *"
                tasks:
                  a:
                    run: echo a
                """,
        ]
    }

    struct Screen: Sendable {
        let file: String
        let path: String
        let ready: String
    }

    @Test("each screen at 1280 and at 390 pixels wide")
    func screens() async throws {
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        try await BrowserHarness.run("screens", width: 1280, height: 800, jobs: Self.jobs) { ui in
            let etl = try await ui.trigger("etl")
            let backup = try await ui.trigger("nightly-backup")
            let reindex = try await ui.trigger("reindex")
            for id in [etl, backup] {
                let ended = await eventually(within: .seconds(30), every: .milliseconds(50)) { ["succeeded", "failed"].contains(try await ui.runStatus(id) ?? "") }
                try #require(ended, "run \(id) ended")
            }
            let screens = [
                Screen(file: "ui-overview", path: "/", ready: "#failures"),
                Screen(file: "ui-jobs", path: "/jobs", ready: "tr[data-job='etl'] .strip"),
                Screen(file: "ui-job", path: "/jobs/etl", ready: "#ticks h2"),
                Screen(file: "ui-run", path: "/runs/\(etl)?task=extract", ready: "#log-status"),
                Screen(file: "ui-run-failed", path: "/runs/\(backup)", ready: "#log-status"),
                Screen(file: "ui-run-running", path: "/runs/\(reindex)", ready: "#graph [data-state='running']"),
            ]
            for (width, height, suffix) in [(1280, 800, ""), (390, 844, "-phone")] {
                try await ui.browser.setWindow(width: width, height: height)
                for screen in screens {
                    try await ui.browser.open(ui.daemon.url + screen.path)
                    _ = try await ui.browser.waitFor(screen.ready, within: .seconds(20))
                    try await ui.waitUntil("\(screen.path) settles", "return document.querySelector('#log-status') === null "
                        + "|| !document.querySelector('#log-status').textContent.includes('opening')")
                    let errors = try await ui.browser.findAll("main .error[role=alert]")
                    if let first = errors.first {
                        throw BrowserError("\(screen.path) shows an error: \(try await ui.browser.text(first))")
                    }
                    let leaked = try await ui.browser.execute(
                        "return (document.body.innerText.match(/\\[object \\w+\\]|\\bundefined\\b|\\bNaN\\b/) || [''])[0]") as? String ?? ""
                    try #require(leaked.isEmpty, "\(screen.path) shows a script value instead of text: \(leaked)")
                    let overflow = try await ui.browser.execute(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth") as? Int ?? 0
                    try #require(overflow <= 1, "\(screen.path) is \(overflow) px wider than a \(width) px window")
                    if suffix.isEmpty || ["ui-overview", "ui-run"].contains(screen.file) {
                        try await ui.browser.screenshot(to: "\(Self.folder)/\(screen.file)\(suffix).png")
                    }
                }
            }
            try await ui.browser.open("\(ui.daemon.url)/runs/\(etl)")
            _ = try await ui.browser.waitFor("#run-status [data-state='succeeded']", within: .seconds(20))
            let killShown = try await ui.browser.execute("const k = document.querySelector('#kill'); return !!k && k.offsetParent !== null") as? Bool
            #expect(killShown == false, "a finished run offers no Kill button")
            let banner = try await ui.browser.find("#invalid-banner")
            #expect(banner != nil, "the invalid job file is announced")
            print("screenshots of the web UI are in \(Self.folder)")
        }
    }
}

