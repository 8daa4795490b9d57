import Foundation
import Glibc

/// A real `gnomon daemon` (the built binary) serving its HTTP server on a free port of
/// 127.0.0.1, over a temporary home, with a 2 s kill grace; stopped by pid with SIGTERM (SIGKILL
/// if it does not end). The one daemon fixture of the server, browser, metrics and remote-CLI
/// tests.
public final class ServedDaemon: Sendable {
    public let home: TemporaryHome
    public let process: TestProcess
    /// `http://127.0.0.1:PORT`.
    public let url: String
    /// The admin token the daemon wrote at its first start.
    public let adminToken: String
    public let client: HTTPTestClient
    /// The daemon's standard error (its log).
    public let logPath: String

    /// Starts a daemon on `home` with `extraArguments` and waits until it serves.
    public static func start(
        _ home: TemporaryHome, extraArguments: [String] = [], environment extra: [String: String] = [:]
    ) async throws -> ServedDaemon {
        let binary = try GnomonBinary.require()
        let urlFile = home.home + "/server.url"
        try? FileManager.default.removeItem(atPath: urlFile)
        let log = home.path("daemon-\(UUID().uuidString.prefix(8)).log")
        var environment = TemporaryHome.taskEnvironment
        environment.merge(extra) { $1 }
        let process = try TestProcess.start(
            [binary, "daemon", "--jobs", home.jobs, "--home", home.home, "--listen", "127.0.0.1:0", "--kill-grace", "2s"]
                + extraArguments,
            environment: environment, workingDirectory: home.root, stderr: log)
        let ready = await eventually(within: .seconds(30)) {
            FileManager.default.fileExists(atPath: urlFile) || !process.isRunning
        }
        guard ready, process.isRunning,
              let url = try? String(contentsOfFile: urlFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            process.send(SIGKILL)
            _ = await process.status()
            throw TestSetupError("the daemon did not start serving within 30 s; its log:\n\(text)")
        }
        let token = try String(contentsOfFile: home.home + "/api-token", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return ServedDaemon(home: home, process: process, url: url, adminToken: token, client: try HTTPTestClient(url: url), logPath: log)
    }

    private init(home: TemporaryHome, process: TestProcess, url: String, adminToken: String, client: HTTPTestClient, logPath: String) {
        self.home = home
        self.process = process
        self.url = url
        self.adminToken = adminToken
        self.client = client
        self.logPath = logPath
    }

    /// A request with the admin token unless another is given (`token: ""` sends none).
    public func request(
        _ method: String, _ path: String, json: String? = nil, token: String? = nil, headers: [String: String] = [:]
    ) async throws -> HTTPTestClient.Response {
        let used = token ?? adminToken
        return try await client.request(
            method, path, headers: headers, body: json.map { Data($0.utf8) }, token: used.isEmpty ? nil : used)
    }

    /// The daemon's log so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The port the daemon serves on.
    public var port: Int { client.port }

    /// `POST /api/v1/jobs/{job}/runs` with an empty body; the new run's id.
    public func trigger(_ job: String) async throws -> Int64 {
        let response = try await request("POST", "/api/v1/jobs/\(job)/runs", json: "{}")
        guard response.status == 201, let object = (try? response.json()) as? [String: Any],
              let id = object["id"] as? NSNumber
        else { throw TestSetupError("triggering \(job) answered \(response.status): \(response.text)") }
        return id.int64Value
    }

    /// SIGTERM without waiting (a test that stops early); the daemon drains on its own.
    public func terminate() {
        if process.isRunning { process.send(SIGTERM) }
    }

    /// SIGKILL at once and a short wait for the exit: the clean-up of a failed test (`defer`).
    public func kill() {
        guard process.isRunning else { return }
        process.send(SIGKILL)
        for _ in 0..<1_000 where process.isRunning { usleep(1_000) }
    }

    /// SIGTERM, then waits for the exit (SIGKILL after 20 s); returns the exit status.
    @discardableResult
    public func stop() async -> Int32 {
        process.send(SIGTERM)
        let ended = await eventually(within: .seconds(20)) { !process.isRunning }
        if !ended { process.send(SIGKILL) }
        return await process.exitCode()
    }
}
