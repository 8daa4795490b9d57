import Foundation
import GnomonCore
import GnomonStore

/// The commands' source on a remote daemon: its JSON API (`--server`), whose answers are the
/// CLI's `--json` shapes, decoded into the same types the store returns.
public struct RemoteSource: CommandSource {
    public let settings: GlobalSettings
    let client: APIClient
    public var pollInterval: Duration { .milliseconds(250) }

    public init(server: RemoteServer, settings: GlobalSettings) {
        self.settings = settings
        self.client = APIClient(server: server)
    }

    /// The source the options choose: the daemon at `--server` (or `GNOMON_SERVER`), else this machine.
    public static func choose(server: String?, tokenFile: String?, settings: GlobalSettings) throws(AppError) -> any CommandSource {
        guard let remote = try RemoteServer.resolve(server: server, tokenFile: tokenFile, settings: settings) else {
            return LocalSource(settings: settings)
        }
        return RemoteSource(server: remote, settings: settings)
    }

    private static func job(_ name: String) -> String { "/api/v1/jobs/" + APIClient.segment(name) }
    private static func run(_ id: Int64) -> String { "/api/v1/runs/\(id)" }

    public func jobRows(now: Date) async throws(AppError) -> [JobListing.Row] {
        try await client.get("/api/v1/jobs", as: [JobListing.Row].self, what: "the job list")
    }

    /// Every page the query needs (the API gives at most `APIContext.maxPage` runs a page).
    public func runs(_ query: RunQuery) async throws(AppError) -> [RunSummary]? {
        var items: [(String, String)] = []
        if let job = query.job { items.append(("job", job)) }
        for status in (query.statuses ?? []).sorted(by: { $0.rawValue < $1.rawValue }) { items.append(("status", status.rawValue)) }
        for trigger in (query.triggers ?? []).sorted(by: { $0.rawValue < $1.rawValue }) { items.append(("trigger", trigger.rawValue)) }
        if let since = query.since { items.append(("since", ISOTime.utc(since, alwaysMilliseconds: true))) }
        var runs: [RunSummary] = []
        var cursor: String? = nil
        repeat {
            let size = min(query.limit - runs.count, APIContext.maxPage)
            let page = try await client.get(
                "/api/v1/runs", query: items + [("limit", String(size))] + (cursor.map { [("cursor", $0)] } ?? []),
                as: APIContext.RunPage.self, what: "the runs")
            runs += page.runs
            cursor = page.nextCursor
        } while cursor != nil && runs.count < query.limit
        return runs
    }

    public func run(_ id: Int64) async throws(AppError) -> RunDetail {
        try await client.get(Self.run(id), as: RunDetail.self, what: "run \(id)")
    }

    /// The API's answer carries the snapshot; it is read whole.
    public func runWithoutSnapshot(_ id: Int64) async throws(AppError) -> RunDetail {
        try await run(id)
    }

    public func ticks(job: String, limit: Int) async throws(AppError) -> [Tick]? {
        try await client.get(Self.job(job) + "/ticks", query: [("limit", String(limit))], as: [Tick].self, what: "the fire times of \(job)")
    }

    public func setPaused(job: String, paused: Bool) async throws(AppError) {
        _ = try await client.call("POST", Self.job(job) + (paused ? "/pause" : "/resume"), body: Array("{}".utf8))
    }

    public func requestKill(run id: Int64) async throws(AppError) {
        _ = try await client.call("POST", Self.run(id) + "/kill", body: Array("{}".utf8))
    }

    public func notStopped(_ detail: RunDetail, wait: Duration) -> AppError {
        AppError(.timedOut, "asked \(client.server.url) to stop run \(detail.id), but it is still \(detail.summary.status.rawValue) "
            + "after \(DurationText.format(wait)); it will be recorded cancelled when its tasks have stopped (`gnomon show \(detail.id)`)")
    }

    public func trigger(job: String, params: [String: String], tasks: [String]) async throws(AppError) -> Int64 {
        if !tasks.isEmpty {
            let detail = try await client.get(Self.job(job), query: [("runs", "0"), ("next", "0")], as: JobDetail.self, what: "job \(job)")
            guard detail.valid else {
                throw AppError(.failure, "job \(job) is invalid; fix these and try again:\n" + detail.problems.joined(separator: "\n"))
            }
            try TriggerRun.checkTasks(tasks, job: job, known: detail.tasks)
        }
        var body: [String: Any] = [:]
        if !params.isEmpty { body["params"] = params }
        if !tasks.isEmpty { body["tasks"] = tasks }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        let run = try await client.post(Self.job(job) + "/runs", body: Array(data), as: RunDetail.self, what: "the new run of \(job)")
        return run.id
    }

    /// Asks the daemon to continue the run, then shows its progress as a local retry does, from
    /// successive looks at the run, until it ends.
    public func retry(run id: Int64, workers: Int?, killGrace: Duration, output: Int32) async throws(AppError) -> CommandExit {
        let before = try await run(id)
        _ = try await client.call("POST", Self.run(id) + "/retry", body: Array("{}".utf8))
        var follower = RunFollower(before: before)
        let printer = ProgressPrinter(job: before.snapshot, run: id, live: isatty(output) == 1, output: output)
        defer { printer.stop() }
        while true {
            let detail = try await run(id)
            for event in follower.events(detail) { printer.progress(event) }
            if detail.summary.status.isFinished && !follower.waitsForStart {
                switch detail.summary.status {
                case .succeeded: return .success
                case .cancelled: return .cancelled
                default: return .failure
                }
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// An ended attempt's log is downloaded whole (its raw bytes); a running one's is read in
    /// windows from the start (UTF-8 text), and with `follow` until it has ended and is drained.
    public func copyLog(run: Int64, attempt record: AttemptRecord, follow: Bool, to output: FileHandle) async throws(AppError) {
        let path = Self.run(run) + "/tasks/" + APIClient.segment(record.task) + "/attempts/\(record.number)/log"
        if record.outcome != nil {
            try await client.stream(path, query: [("download", "1")]) { bytes in output.write(Data(bytes)) }
            return
        }
        var offset: Int64 = 0
        while true {
            let page = try await client.get(
                path, query: [("offset", String(offset)), ("limit", String(1 << 20))], as: LogWindow.self,
                what: "the log of \(record.task) attempt \(record.number)")
            if !page.text.isEmpty { output.write(Data(page.text.utf8)) }
            let moved = page.nextOffset > offset
            offset = page.nextOffset
            if moved { continue }
            if !follow || page.ended { return }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
