import Foundation
import Glibc
import GnomonExecution

/// A headless Chromium driven over W3C WebDriver: `chromedriver` started on a free port by the
/// test, one session, HTTP JSON calls; stopped by its pid.
///
/// Only what the browser tests use: open a URL, find elements by CSS selector, click, type,
/// read text, run a script, take a screenshot, resize the window.
public final class WebDriver: Sendable {
    /// A reference to an element of the page, as WebDriver returns it.
    public struct Element: Sendable, Hashable {
        public let id: String
    }

    /// The W3C key of an element reference in JSON.
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    let driver: TestProcess
    let client: HTTPTestClient
    let session: String

    private init(driver: TestProcess, client: HTTPTestClient, session: String) {
        self.driver = driver
        self.client = client
        self.session = session
    }

    /// Starts chromedriver and a headless browser window of `width` × `height` CSS pixels.
    /// - Parameter log: a file for chromedriver's own output.
    public static func start(width: Int = 1280, height: Int = 900, log: String? = nil) async throws -> WebDriver {
        let port = try Browser.freePort()
        let driver = try TestProcess.start(
            [Browser.driverPath, "--port=\(port)", "--allowed-ips=127.0.0.1"], environment: HostEnvironment.current,
            stdout: log, stderr: log)
        let client = try HTTPTestClient(url: "http://127.0.0.1:\(port)")
        let probe = WebDriver(driver: driver, client: client, session: "")
        var ready = false
        for _ in 0..<200 where !ready {
            if let status = try? await probe.call("GET", "/status") as? [String: Any], status["ready"] as? Bool == true {
                ready = true
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard ready else {
            driver.send(SIGKILL)
            _ = await driver.status()
            throw TestSetupError("chromedriver did not answer on port \(port) within 10 s; see \(log ?? "its output")")
        }
        let options: [String: Any] = [
            "binary": Browser.browserPath,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--hide-scrollbars", "--window-size=\(width),\(height)", "--force-device-scale-factor=1"],
        ]
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]]
        do {
            let answer = try await probe.call("POST", "/session", capabilities) as? [String: Any]
            guard let session = answer?["sessionId"] as? String else {
                throw TestSetupError("chromedriver made no session: \(String(describing: answer))")
            }
            return WebDriver(driver: driver, client: client, session: session)
        } catch {
            driver.send(SIGKILL)
            _ = await driver.status()
            throw error
        }
    }

    /// Ends the session (closing the browser) and stops chromedriver.
    public func stop() async {
        _ = try? await call("DELETE", "/session/\(session)")
        driver.send(SIGTERM)
        _ = await driver.status()
    }

    // MARK: Commands

    public func open(_ url: String) async throws {
        _ = try await command("POST", "/url", ["url": url])
    }

    public func currentURL() async throws -> String {
        try await command("GET", "/url") as? String ?? ""
    }

    public func setWindow(width: Int, height: Int) async throws {
        _ = try await command("POST", "/window/rect", ["width": width, "height": height])
    }

    /// The first element matching `css`, or nil when none does now.
    public func find(_ css: String) async throws -> Element? {
        try await findAll(css).first
    }

    public func findAll(_ css: String) async throws -> [Element] {
        let found = try await command("POST", "/elements", ["using": "css selector", "value": css]) as? [[String: Any]] ?? []
        return found.compactMap { ($0[Self.elementKey] as? String).map(Element.init) }
    }

    /// Waits up to `limit` for an element matching `css` (polling, the page updates by itself).
    public func waitFor(_ css: String, within limit: Duration = .seconds(10)) async throws -> Element {
        let end = ContinuousClock.now + limit
        while true {
            if let element = try await find(css) { return element }
            if ContinuousClock.now >= end { throw BrowserError("no element matches \(css) after \(limit)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    public func click(_ element: Element) async throws {
        _ = try await command("POST", "/element/\(element.id)/click", [:])
    }

    /// Waits for an element matching `css` and clicks it; a page that redraws the element between
    /// finding and clicking (a stale reference) is tried again with the new element.
    public func click(_ css: String, within limit: Duration = .seconds(10)) async throws {
        let end = ContinuousClock.now + limit
        while true {
            do {
                try await click(try await waitFor(css, within: limit))
                return
            } catch let error as BrowserError where error.description.contains("stale element") && ContinuousClock.now < end {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    public func type(_ text: String, into element: Element) async throws {
        _ = try await command("POST", "/element/\(element.id)/value", ["text": text])
    }

    public func text(_ element: Element) async throws -> String {
        try await command("GET", "/element/\(element.id)/text") as? String ?? ""
    }

    public func attribute(_ name: String, of element: Element) async throws -> String? {
        try await command("GET", "/element/\(element.id)/attribute/\(name)") as? String
    }

    /// Runs `script` (a function body; `arguments[0]`... are `arguments`) and returns its value.
    public func execute(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        let value = try await command("POST", "/execute/sync", ["script": script, "args": arguments])
        return value is NSNull ? nil : value
    }

    /// The page as PNG, written to `path`.
    public func screenshot(to path: String) async throws {
        guard let encoded = try await command("GET", "/screenshot") as? String, let data = Data(base64Encoded: encoded) else {
            throw BrowserError("the screenshot came back empty")
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    // MARK: HTTP

    func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        try await call(method, "/session/\(session)\(path)", body)
    }

    /// One WebDriver call: the answer's `value`, or the error WebDriver reported.
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let response = try await client.request(
            method, path, body: try body.map { try JSONSerialization.data(withJSONObject: $0) }, timeout: 60)
        let object = (try? response.json()) as? [String: Any]
        let value = object?["value"]
        if response.status >= 400 {
            let status = response.status
            let detail = (value as? [String: Any]).map { "\($0["error"] ?? "error"): \($0["message"] ?? "")" }
                ?? response.text
            throw BrowserError("WebDriver \(method) \(path) failed (\(status)): \(detail.prefix(500))")
        }
        return value
    }
}

/// A WebDriver call that failed, or a page that did not become what a test waited for.
public struct BrowserError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
