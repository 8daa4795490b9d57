import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc

/// A real `gnomon daemon` serving on a free port of 127.0.0.1, in a ``TemporaryHome``; stopped
/// by its pid (SIGTERM, then its exit is awaited).
public final class ServedDaemon: Sendable {
    public let home: TemporaryHome
    public let process: TestProcess
    /// `http://127.0.0.1:PORT`, as the daemon wrote it to `$GNOMON_HOME/server.url`.
    public let url: String
    /// The admin token the daemon created in `$GNOMON_HOME/api-token`.
    public let token: String
    let urlSession: URLSession

    private init(home: TemporaryHome, process: TestProcess, url: String, token: String) {
        self.home = home
        self.process = process
        self.url = url
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        self.urlSession = URLSession(configuration: configuration)
    }

    /// Starts the daemon on `home` (its jobs folder already written) and waits until it serves.
    public static func start(_ home: TemporaryHome, extraArguments: [String] = []) async throws -> ServedDaemon {
        let binary = try GnomonBinary.require()
        let process = try TestProcess.start(
            [binary, "daemon", "--jobs", home.jobs, "--home", home.home, "--listen", "127.0.0.1:0"] + extraArguments,
            environment: HostEnvironment.current, stdout: home.path("daemon.out"), stderr: home.path("daemon.err"))
        let urlFile = home.home + "/server.url", tokenFile = home.home + "/api-token"
        let served = await eventually(within: .seconds(20), every: .milliseconds(20)) {
            FileManager.default.fileExists(atPath: urlFile) && FileManager.default.fileExists(atPath: tokenFile)
        }
        guard served, let url = home.read(urlFile)?.trimmingCharacters(in: .whitespacesAndNewlines),
              let token = home.read(tokenFile)?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            process.send(SIGKILL)
            _ = await process.status()
            throw TestSetupError("the daemon did not write server.url within 20 s; its log: \(home.read("daemon.err") ?? "")")
        }
        return ServedDaemon(home: home, process: process, url: url, token: token)
    }

    /// SIGTERM and wait for the exit.
    public func stop() async {
        process.send(SIGTERM)
        _ = await process.status()
    }

    /// Calls the API with the admin token; the status and the parsed JSON body.
    @discardableResult
    public func api(_ method: String, _ path: String, body: [String: Any]? = nil) async throws -> (status: Int, json: Any?) {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await urlSession.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONSerialization.jsonObject(with: data))
    }

    /// A run's `status` as `GET /api/v1/runs/{id}` gives it.
    public func runStatus(_ id: Int) async throws -> String? {
        let (_, json) = try await api("GET", "/api/v1/runs/\(id)")
        return (json as? [String: Any])?["status"] as? String
    }
}
