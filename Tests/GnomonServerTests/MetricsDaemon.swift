import Foundation
import Glibc
import GnomonTesting

/// A real `gnomon daemon` serving on a free port of 127.0.0.1 over a temporary home, for the
/// metrics tests; stopped by pid (SIGTERM, then SIGKILL).
///
/// A minimal fixture of this suite's own, written before the shared one (ServedDaemon and
/// HTTPTestClient in GnomonTesting) existed; it can give way to that one.
final class MetricsDaemon: Sendable {
    let home: TemporaryHome
    let process: TestProcess
    let host: String
    let port: Int
    let token: String
    let logPath: String

    static func start(_ home: TemporaryHome, extra: [String] = []) async throws -> MetricsDaemon {
        let urlFile = home.home + "/server.url"
        try? FileManager.default.removeItem(atPath: urlFile)
        let log = home.path("daemon-\(UUID().uuidString.prefix(8)).log")
        let process = try TestProcess.start(
            [try GnomonBinary.require(), "daemon", "--jobs", home.jobs, "--home", home.home, "--listen", "127.0.0.1:0",
             "--kill-grace", "2s"] + extra,
            environment: TemporaryHome.taskEnvironment, workingDirectory: home.root, stderr: log)
        let ready = await eventually(within: .seconds(30), every: .milliseconds(10)) {
            FileManager.default.fileExists(atPath: urlFile) || !process.isRunning
        }
        let text = (try? String(contentsOfFile: urlFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard ready, process.isRunning, let text, let url = URLComponents(string: text), let host = url.host, let port = url.port else {
            process.send(SIGKILL)
            _ = await process.status()
            throw TestSetupError("the daemon did not start serving within 30 s; its log:\n"
                + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
        }
        let token = try String(contentsOfFile: home.home + "/api-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return MetricsDaemon(home: home, process: process, host: host, port: port, token: token, logPath: log)
    }

    private init(home: TemporaryHome, process: TestProcess, host: String, port: Int, token: String, logPath: String) {
        self.home = home
        self.process = process
        self.host = host
        self.port = port
        self.token = token
        self.logPath = logPath
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    struct Response {
        var status: Int
        var headers: [String: String]
        var text: String
    }

    /// One request with `Connection: close`, the admin token unless `token` says otherwise
    /// (`""`: none).
    func request(_ method: String, _ path: String, body: String? = nil, token: String? = nil) async throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        let used = token ?? self.token
        if !used.isEmpty { head += "Authorization: Bearer \(used)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        let bytes = Array((head + "\r\n" + (body ?? "")).utf8)
        let (host, port) = (self.host, self.port)
        let answer = try await Task.detached { try Self.exchange(bytes, host: host, port: port) }.value
        guard let end = answer.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw TestSetupError("no complete HTTP answer to \(method) \(path): \(String(decoding: answer, as: UTF8.self))")
        }
        let lines = String(decoding: answer[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var payload = Array(answer[end.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { payload = Self.dechunk(payload) }
        return Response(status: status, headers: headers, text: String(decoding: payload, as: UTF8.self))
    }

    /// `GET /metrics`, checked against the format.
    func metrics() async throws -> ExpositionChecker {
        let response = try await request("GET", "/metrics")
        guard response.status == 200 else { throw TestSetupError("GET /metrics: \(response.status) \(response.text)") }
        return try ExpositionChecker(response.text)
    }

    /// Triggers a manual run of `job` through the API; returns its id.
    func trigger(_ job: String) async throws -> Int64 {
        let response = try await request("POST", "/api/v1/jobs/\(job)/runs", body: "{}")
        guard response.status == 201,
              let object = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any],
              let id = (object["id"] as? NSNumber) ?? ((object["run"] as? [String: Any])?["id"] as? NSNumber)
        else { throw TestSetupError("trigger \(job): \(response.status) \(response.text)") }
        return id.int64Value
    }

    /// SIGTERM, waits for the exit (SIGKILL after 20 s); returns the exit code.
    func stop() async -> Int32 {
        process.send(SIGTERM)
        if !(await eventually(within: .seconds(20), every: .milliseconds(20)) { !process.isRunning }) { process.send(SIGKILL) }
        return await process.exitCode()
    }

    /// Kills the daemon at once (clean-up of a failed test) and its running tasks' groups.
    func kill() {
        guard process.isRunning else { return }
        process.send(SIGKILL)
        for _ in 0..<1_000 where process.isRunning { usleep(1_000) }
    }

    private static func exchange(_ bytes: [UInt8], host: String, port: Int) throws -> [UInt8] {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw TestSetupError("\(host) is not an IPv4 address") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var limit = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestSetupError("cannot connect to \(host):\(port): \(String(cString: strerror(errno)))") }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TestSetupError("send: \(String(cString: strerror(errno)))")
            }
            sent += count
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return answer }
            if count < 0 {
                if errno == EINTR { continue }
                throw TestSetupError("recv: \(String(cString: strerror(errno)))")
            }
            answer += buffer[0..<count]
        }
    }

    private static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while let lineEnd = data[index...].firstRange(of: Array("\r\n".utf8)) {
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            out += data[start..<min(data.count, start + size)]
            index = min(data.count, start + size + 2)
        }
        return out
    }
}
