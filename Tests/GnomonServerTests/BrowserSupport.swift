import Foundation
import GnomonTesting
import Testing

/// A browser test's parts: a daemon on a fresh home, a headless Chromium, and the folder where
/// a failing test leaves its screenshot.
struct BrowserHarness {
    let daemon: ServedDaemon
    let browser: WebDriver

    var home: TemporaryHome { daemon.home }

    /// Creates the file a gated task waits for.
    func open(gate name: String) throws { try home.write("open", to: name) }

    /// The gate files the tests' jobs wait for; all are opened before the daemon stops, so no
    /// task of a test outlives it.
    static let gates = ["gate", "never"]

    /// Opens every gate and stops the browser and the daemon.
    func stop() async {
        for gate in Self.gates { try? open(gate: gate) }
        await browser.stop()
        await daemon.stop()
    }

    /// Where failing browser tests save what the page looked like.
    static let failureFolder = NSTemporaryDirectory() + "gnomon-browser-failures"

    /// Runs `body` with a served daemon (jobs written by `jobs`) and a signed-in browser. When
    /// `body` throws, a screenshot of the page is saved first and its path printed.
    static func run(
        _ name: String, width: Int = 1280, height: Int = 900, jobs: (TemporaryHome) -> [String: String],
        _ body: (BrowserHarness) async throws -> Void
    ) async throws {
        let home = try TemporaryHome()
        for (job, yaml) in jobs(home) { try home.writeJob(job, yaml) }
        let daemon = try await ServedDaemon.start(home)
        let browser: WebDriver
        do {
            browser = try await WebDriver.start(width: width, height: height, log: home.path("chromedriver.log"))
        } catch {
            await daemon.stop()
            throw error
        }
        let harness = BrowserHarness(daemon: daemon, browser: browser)
        do {
            try await harness.signIn()
            try await body(harness)
        } catch {
            try? FileManager.default.createDirectory(atPath: failureFolder, withIntermediateDirectories: true)
            let shot = "\(failureFolder)/\(name.replacingOccurrences(of: " ", with: "-"))-\(getpid()).png"
            try? await browser.screenshot(to: shot)
            print("browser test \"\(name)\" failed; the page is in \(shot), the daemon's log in \(daemon.logPath)")
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    /// Signs in through the form with the admin token, from a page that sent the browser there.
    func signIn() async throws {
        try await browser.open(daemon.url + "/")
        let field = try await browser.waitFor("input#token")
        let url = try await browser.currentURL()
        try #require(url.hasSuffix("/login?next=/"), "an unsigned browser lands on the sign-in form (got \(url))")
        try await browser.type(daemon.adminToken, into: field)
        try await browser.click("button[type=submit]")
        // Generous: on a loaded 2-core machine Chromium's first page can take many seconds.
        try await waitForText("main h1", "Overview", within: .seconds(60))
    }

    /// Waits until the element's text contains `expected`.
    func waitForText(_ css: String, _ expected: String, within limit: Duration = .seconds(15)) async throws {
        let end = ContinuousClock.now + limit
        var last = ""
        while ContinuousClock.now < end {
            if let element = try await browser.find(css) {
                last = (try? await browser.text(element)) ?? ""
                if last.contains(expected) { return }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BrowserError("\(css) did not show \"\(expected)\" within \(limit); it shows \"\(last.prefix(300))\"")
    }

    /// Waits until the script returns true.
    func waitUntil(_ what: String, within limit: Duration = .seconds(15), _ script: String) async throws {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if try await browser.execute(script) as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BrowserError("\(what) did not happen within \(limit)")
    }

    /// A run's status as `GET /api/v1/runs/{id}` answers it.
    func runStatus(_ id: Int) async throws -> String? {
        let response = try await daemon.request("GET", "/api/v1/runs/\(id)")
        return ((try? response.json()) as? [String: Any])?["status"] as? String
    }

    /// Triggers `job` through the API; the new run's id.
    func trigger(_ job: String) async throws -> Int {
        let response = try await daemon.request("POST", "/api/v1/jobs/\(job)/runs", json: "{}")
        let (status, json) = (response.status, try? response.json())
        let id = (json as? [String: Any])?["id"] as? Int
        try #require(status == 201 && id != nil, "triggering \(job) answered \(status): \(String(describing: json))")
        return id!
    }
}
