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

    func showRun(_ request: ServerRequest) throws(APIError) -> ServerResponse {
        try request.onlyQuery([])
        let detail = try run(request.idParameter("id", what: "run"))
        return try json(detail, what: "run \(detail.summary.id)")
    }

    /// The recorded run `id`, or 404 saying how to list runs.
    func run(_ id: Int64) throws(APIError) -> RunDetail {
        guard let detail = try store({ try $0.run(id) }) else {
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
