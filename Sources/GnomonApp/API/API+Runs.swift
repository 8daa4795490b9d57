import Foundation
import GnomonCore
import GnomonServer
import GnomonStore

/// `/api/v1/runs`: the history (newest first, cursor pages), one run in full, kill; manual runs.
extension APIContext {
    /// One page of runs and the cursor of the next (null on the last page).
    struct RunPage: Codable, Sendable {
        var runs: [RunSummary]
        var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case runs
            case nextCursor = "next_cursor"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(runs, forKey: .runs)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    /// The most runs one page holds.
    static let maxPage = 1000

    func listRuns(_ request: ServerRequest) throws(APIError) -> ServerResponse {
        try request.onlyQuery(["job", "status", "trigger", "since", "until", "limit", "cursor"])
        var query = RunQuery(job: request.query("job"), limit: try request.intQuery("limit", in: 1...Self.maxPage, default: 50))
        let statuses = request.queryList("status")
        if !statuses.isEmpty {
            query.statuses = try Set(statuses.map { name throws(APIError) in
                guard let status = RunStatus(rawValue: name) else {
                    throw .badRequest("status=\(name) is not a run status; use \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return status
            })
        }
        let triggers = request.queryList("trigger")
        if !triggers.isEmpty {
            query.triggers = try Set(triggers.map { name throws(APIError) in
                guard let trigger = RunTrigger(rawValue: name) else {
                    throw .badRequest("trigger=\(name) is not a run trigger; use \(RunTrigger.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return trigger
            })
        }
        query.since = try request.query("since").map { text throws(APIError) in try instant(text, name: "since") }
        query.until = try request.query("until").map { text throws(APIError) in try instant(text, name: "until") }
        if let cursor = request.query("cursor") {
            guard let before = Int64(cursor), before > 0 else {
                throw .badRequest("cursor=\(cursor) is not a cursor this API gave; pass the next_cursor of the previous page")
            }
            query.beforeID = before
        }
        let limit = query.limit
        query.limit = limit + 1
        var runs = try store { try $0.runs(query) }
        var next: String? = nil
        if runs.count > limit {
            runs.removeLast(runs.count - limit)
            next = runs.last.map { String($0.id) }
        }
        return try json(RunPage(runs: runs, nextCursor: next), what: "the runs")
    }

    /// One page of a run's tasks (`GET /api/v1/runs/{id}?task_limit=N&task_cursor=C`): the run's
    /// summary (its `task_counts` count every task) and parameters, up to `task_limit` tasks in
    /// the job's order from the cursor with their attempts, how many tasks the run has, and the
    /// cursor of the next page (null on the last). `task_status` (states, comma-separated) and
    /// `task_prefix` keep only the tasks in those states and whose names start so; `tasks_total`
    /// then counts the tasks that match. The job snapshot is left out: at 100,000 tasks
    /// it alone is tens of megabytes.
    struct RunTaskPage: Encodable, Sendable {
        var detail: RunDetail
        var tasksTotal: Int
        var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case params, tasks, attempts
            case tasksTotal = "tasks_total"
            case nextCursor = "next_task_cursor"
        }

        func encode(to encoder: any Encoder) throws {
            try detail.summary.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(detail.params, forKey: .params)
            try container.encode(detail.tasks, forKey: .tasks)
            try container.encode(detail.attempts, forKey: .attempts)
            try container.encode(tasksTotal, forKey: .tasksTotal)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    /// The most tasks one page of a run holds.
    static let maxTaskPage = 10_000

    func showRun(_ request: ServerRequest) throws(APIError) -> ServerResponse {
        try request.onlyQuery(["task_limit", "task_cursor", "task_status", "task_prefix"])
        let id = try request.idParameter("id", what: "run")
        let paged = ["task_limit", "task_cursor", "task_status", "task_prefix"].contains { request.query($0) != nil }
        guard paged else {
            let detail = try run(id)
            return try json(detail, what: "run \(detail.summary.id)")
        }
        let limit = try request.intQuery("task_limit", in: 1...Self.maxTaskPage, default: 1000)
        var start = 0
        if let cursor = request.query("task_cursor") {
            guard let position = Int(cursor), position > 0 else {
                throw .badRequest("task_cursor=\(cursor) is not a cursor this API gave; pass the next_task_cursor of the previous page")
            }
            start = position
        }
        var statuses: Set<TaskStatus>? = nil
        if let text = request.query("task_status") {
            var wanted: Set<TaskStatus> = []
            for word in text.split(separator: ",") {
                guard let status = TaskStatus(rawValue: String(word)) else {
                    let known = TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw .badRequest("task_status=\(text): \(word) is not a task state; use one or more of \(known), comma-separated")
                }
                wanted.insert(status)
            }
            statuses = wanted
        }
        let prefix = request.query("task_prefix") ?? ""
        var detail = try run(id, snapshot: false)
        let matching = statuses == nil && prefix.isEmpty ? detail.tasks
            : detail.tasks.filter { (statuses?.contains($0.status) ?? true) && $0.name.hasPrefix(prefix) }
        let total = matching.count
        let end = min(total, start + limit)
        detail.tasks = start < end ? Array(matching[start..<end]) : []
        let names = Set(detail.tasks.map(\.name))
        detail.attempts = detail.attempts.filter { names.contains($0.task) }
        let page = RunTaskPage(detail: detail, tasksTotal: total, nextCursor: end < total ? String(end) : nil)
        return try json(page, what: "run \(id)")
    }

    /// The recorded run `id`, or 404 saying how to list runs.
    ///
    /// - Parameter snapshot: false leaves the job's stored definition out (see `GnomonStore.run`).
    func run(_ id: Int64, snapshot: Bool = true) throws(APIError) -> RunDetail {
        guard let detail = try store({ try $0.run(id, snapshot: snapshot) }) else {
            throw .notFound("run \(id) not found; GET /api/v1/runs lists the recorded runs")
        }
        return detail.withSlurmStates()
    }

    /// Asks the run's runner to stop it; 202 with the run as it is now (its status turns
    /// `cancelled` when the runner has stopped it), 409 when it has already ended.
    func killRun(_ request: ServerRequest) throws(APIError) -> ServerResponse {
        try request.onlyQuery([])
        _ = try request.jsonObject(allowed: [])
        let id = try request.idParameter("id", what: "run")
        let detail = try run(id)
        guard !detail.summary.status.isFinished else {
            throw .conflict("run \(id) has already ended (\(detail.summary.status.rawValue)); nothing to kill")
        }
        let who = request.principal.map { "token \($0.name)" } ?? "the API"
        _ = try store { try $0.requestCancel(run: id, reason: "killed through the API by \(who)", at: daemon.now()) }
        return try json(try run(id), what: "run \(id)", status: 202)
    }

    /// `since`/`until`: an ISO 8601 instant or a date (midnight UTC).
    private func instant(_ text: String, name: String) throws(APIError) -> Date {
        if let date = ISOTime.parse(text) ?? ISOTime.parse(text + "T00:00:00Z") { return date }
        throw .badRequest("\(name)=\(text) is not an ISO 8601 instant or date (2026-11-26 or 2026-11-26T08:00:00Z)")
    }
}
