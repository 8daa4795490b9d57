import Foundation
import GnomonCore
import GnomonJobFiles
import GnomonStore

/// `gnomon jobs`: every job with its schedule, next fire time, last run and problems.
public struct JobListing: Sendable {
    /// One row; also the `--json` shape.
    public struct Row: Codable, Sendable {
        public var name: String
        public var path: String
        public var valid: Bool
        public var schedule: String?
        public var timezone: String?
        public var nextFireTime: String?
        public var paused: Bool?
        public var lastRun: LastRun?
        /// The first problem of an invalid file (all of them with `gnomon validate`).
        public var problem: String?
        public var problems: Int
        /// What the table says instead of a next fire time a continuous schedule does not know yet
        /// (`after run 12 ends`); not in the JSON, where `next_fire_time` is `null` then.
        public var nextFireNote: String? = nil

        enum CodingKeys: String, CodingKey {
            case name, path, valid, schedule, timezone, paused, problem, problems
            case nextFireTime = "next_fire_time"
            case lastRun = "last_run"
        }

        /// Every key is written, `null` when it has no value, so scripts see one stable shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(path, forKey: .path)
            try container.encode(valid, forKey: .valid)
            try container.encode(schedule, forKey: .schedule)
            try container.encode(timezone, forKey: .timezone)
            try container.encode(nextFireTime, forKey: .nextFireTime)
            try container.encode(paused, forKey: .paused)
            try container.encode(lastRun, forKey: .lastRun)
            try container.encode(problem, forKey: .problem)
            try container.encode(problems, forKey: .problems)
        }
    }

    /// The newest run of a job.
    public struct LastRun: Codable, Sendable {
        public var id: Int64
        public var status: String
        public var at: Date
    }

    public let rows: [Row]

    /// Lists the jobs folder with each job's newest run and pause state read from the database,
    /// when there is one (listing never creates it).
    public static func load(settings: GlobalSettings, now: Date = Date()) throws(AppError) -> JobListing {
        let catalog = try JobCatalog.load(settings.jobsDirectory)
        var lastRuns: [String: RunSummary] = [:]
        var paused: [String: Bool] = [:]
        if let workspace = try Workspace.openIfPresent(settings) {
            let names = catalog.entries.map(\.name)
            do {
                lastRuns = try workspace.store.lastRuns(jobs: names)
                paused = try workspace.store.pausedOverrides()
            } catch {
                throw AppError(error)
            }
        }
        return make(catalog: catalog, now: now, lastRuns: lastRuns, paused: paused)
    }

    /// The jobs as `source` lists them (this machine's folder or a daemon's).
    public static func load(source: any CommandSource, now: Date = Date()) async throws(AppError) -> JobListing {
        JobListing(rows: try await source.jobRows(now: now))
    }

    /// Lists an already loaded jobs folder (parsed once per listing); `lastRuns` supplies each
    /// job's newest run when a database exists, `paused` the persisted pause state.
    static func make(
        catalog: JobCatalog, now: Date, lastRuns: [String: RunSummary], paused: [String: Bool]
    ) -> JobListing {
        let rows = catalog.entries.map { entry -> Row in
            var row = Row(name: entry.name, path: entry.path, valid: false, problems: 0)
            row.lastRun = lastRuns[entry.name].map { LastRun(id: $0.id, status: $0.status.rawValue, at: $0.startedAt ?? $0.createdAt) }
            switch entry.result {
            case .loaded(let job):
                row.valid = true
                row.paused = paused[job.name] ?? job.spec.paused
                if let schedule = job.schedule {
                    row.schedule = schedule.spec.expression
                    row.timezone = schedule.spec.timeZone
                    if let continuous = schedule.continuous {
                        let outlook = ContinuousOutlook(continuous, newest: lastRuns[entry.name], now: now)
                        row.nextFireTime = outlook.time.map { ISOTime.format($0, zone: schedule.timeZone) }
                        row.nextFireNote = outlook.note
                    } else if let next = schedule.next(after: now) {
                        row.nextFireTime = ISOTime.format(next, zone: schedule.timeZone)
                    }
                }
            case .failed(let problems):
                row.problem = problems.first?.description
                row.problems = problems.count
            }
            return row
        }
        return JobListing(rows: rows)
    }

    public func render(json: Bool) throws(AppError) -> String {
        if json { return try JSONOutput.string(rows, what: "the job list") }
        if rows.isEmpty { return "no job files" }
        var table = TextTable(headers: ["JOB", "SCHEDULE", "TZ", "NEXT", "PAUSED", "LAST RUN"])
        var problems: [String] = []
        for row in rows {
            let last = row.lastRun.map { "#\($0.id) \($0.status) \(ISOTime.utc($0.at))" } ?? "-"
            if row.valid {
                table.add([
                    row.name, row.schedule ?? "(manual)", row.timezone ?? "-", row.nextFireTime ?? row.nextFireNote ?? "-",
                    row.paused == true ? "yes" : "no", last,
                ])
            } else {
                table.add([row.name, "INVALID", "-", "-", "-", last])
                problems.append("  \(row.problem ?? "")" + (row.problems > 1 ? " (+\(row.problems - 1) more; run gnomon validate)" : ""))
            }
        }
        var lines = table.lines()
        if !problems.isEmpty { lines += ["", "problems:"] + problems }
        return lines.joined(separator: "\n")
    }
}
