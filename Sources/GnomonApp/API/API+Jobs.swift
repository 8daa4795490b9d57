import Foundation
import GnomonCore
import GnomonDaemon
import GnomonJobFiles
import GnomonServer
import GnomonStore

/// `/api/v1/jobs`: the jobs as the daemon holds them, their ticks, manual runs, pause and resume.
extension APIContext {
    /// The daemon's jobs as the catalog `gnomon jobs` lists, sorted by name.
    func catalog() -> JobCatalog {
        let entries = daemon.board.jobs.values.sorted { $0.name < $1.name }.map { job in
            CatalogEntry(name: job.name, path: job.path,
                         result: job.problems.isEmpty && job.definition != nil ? .loaded(job.definition!) : .failed(job.problems))
        }
        return JobCatalog(directory: settings.jobsDirectory, entries: entries, problems: [])
    }

    /// The job `name` as the daemon holds it, or 404 with a did-you-mean.
    func job(_ name: String) throws(APIError) -> JobBoard.Job {
        if let job = daemon.board.job(name) { return job }
        let names = daemon.board.jobs.keys.sorted()
        throw APIError(JobCatalog.unknownJob(name, among: names, in: settings.jobsDirectory, otherwise: "GET /api/v1/jobs lists them"))
    }

    func listJobs(_ request: ServerRequest) throws(APIError) -> ServerResponse {
        try request.onlyQuery([])
        let catalog = catalog()
        let names = catalog.entries.map(\.name)
        let (lastRuns, paused) = try store { store in (try store.lastRuns(jobs: names), try store.pausedOverrides()) }
        return try json(JobListing.make(catalog: catalog, now: daemon.now(), lastRuns: lastRuns, paused: paused).rows, what: "the job list")
    }

    func showJob(_ request: ServerRequest) throws(APIError) -> ServerResponse {
        try request.onlyQuery(["runs", "next"])
        let limit = try request.intQuery("runs", in: 0...500, default: 20)
        let count = try request.intQuery("next", in: 0...100, default: 5)
        let job = try self.job(request.parameter("job"))
        let now = daemon.now()
        let (recent, paused) = try store { store in
            (try store.runs(RunQuery(job: job.name, limit: limit)), try store.pausedOverrides()[job.name])
        }
        var detail = JobDetail(name: job.name, path: job.path, valid: job.problems.isEmpty, recentRuns: recent)
        detail.definition = try? String(contentsOfFile: job.path, encoding: .utf8)
        detail.problems = job.problems.map(\.description)
        if let definition = job.definition {
            detail.paused = paused ?? definition.spec.paused
            detail.tasks = definition.spec.tasks.map(\.name)
            if let schedule = definition.schedule {
                detail.schedule = schedule.spec.expression
                detail.timezone = schedule.spec.timeZone
                if let continuous = schedule.continuous {
                    // Only the next time is known (none while a from: end run runs): later ones
                    // follow runs that have not happened.
                    let newest = try store { try $0.lastRuns(jobs: [job.name])[job.name] }
                    if count > 0, let next = ContinuousOutlook(continuous, newest: newest, now: now).time {
                        detail.nextFireTimes.append(ISOTime.format(next, zone: schedule.timeZone))
                    }
                }
                var cursor = now
                while detail.nextFireTimes.count < count, let next = schedule.next(after: cursor) {
                    detail.nextFireTimes.append(ISOTime.format(next, zone: schedule.timeZone))
                    cursor = next
                }
            }
        }
        return try json(detail, what: "job \(job.name)")
    }

    func listTicks(_ request: ServerRequest) throws(APIError) -> ServerResponse {
        try request.onlyQuery(["limit"])
        let limit = try request.intQuery("limit", in: 1...10_000, default: 50)
        let job = try self.job(request.parameter("job"))
        let ticks = try store { try $0.ticks(job: job.name, limit: limit) }
        return try json(ticks, what: "the fire times of \(job.name)")
    }

    func setPaused(_ request: ServerRequest, paused: Bool) throws(APIError) -> ServerResponse {
        try request.onlyQuery([])
        _ = try request.jsonObject(allowed: [])
        let job = try self.job(request.parameter("job"))
        try store { try $0.setPaused(job: job.name, paused: paused, at: daemon.now()) }
        return try json(["job": .string(job.name), "paused": .bool(paused)] as [String: JSONScalar], what: "the pause state")
    }
}

/// `GET /api/v1/jobs/{job}`: a job's file, schedule, next fire times, pause state, recent runs
/// and the problems of an invalid file.
struct JobDetail: Codable, Sendable {
    var name: String
    var path: String
    var valid: Bool
    var definition: String?
    var schedule: String?
    var timezone: String?
    var nextFireTimes: [String] = []
    var paused: Bool?
    var tasks: [String] = []
    var problems: [String] = []
    var recentRuns: [RunSummary]

    init(name: String, path: String, valid: Bool, recentRuns: [RunSummary]) {
        self.name = name
        self.path = path
        self.valid = valid
        self.recentRuns = recentRuns
    }

    enum CodingKeys: String, CodingKey {
        case name, path, valid, definition, schedule, timezone, paused, tasks, problems
        case nextFireTimes = "next_fire_times"
        case recentRuns = "recent_runs"
    }

    /// Every key is written, `null` when it has no value.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(path, forKey: .path)
        try container.encode(valid, forKey: .valid)
        try container.encode(definition, forKey: .definition)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(timezone, forKey: .timezone)
        try container.encode(nextFireTimes, forKey: .nextFireTimes)
        try container.encode(paused, forKey: .paused)
        try container.encode(tasks, forKey: .tasks)
        try container.encode(problems, forKey: .problems)
        try container.encode(recentRuns, forKey: .recentRuns)
    }
}

/// A JSON value for small hand-made answers.
enum JSONScalar: Encodable, Sendable {
    case string(String), bool(Bool), int(Int64), null

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}
