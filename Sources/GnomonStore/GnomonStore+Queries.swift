import Foundation
import GnomonCore
import GRDB

/// Reading runs: lists, one run in full, the last run of each job, the runs a crash left behind.
///
/// Each method reads one consistent snapshot with a fixed number of statements (no query per row).
extension GnomonStore {
    /// Runs matching `query`, newest first, each with its task counts.
    public func runs(_ query: RunQuery) throws -> [RunSummary] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let job = query.job {
            conditions.append("job = ?")
            arguments += [job]
        }
        if let statuses = query.statuses {
            if statuses.isEmpty { return [] }
            conditions.append("status IN (SELECT value FROM json_each(?))")
            arguments += [try encodeJSON(statuses.map(\.rawValue).sorted(), what: "the statuses of a query")]
        }
        if let since = query.since {
            conditions.append("created_at >= ?")
            arguments += [StoreDate.databaseText(since)]
        }
        if let beforeID = query.beforeID {
            conditions.append("id < ?")
            arguments += [beforeID]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [max(0, query.limit)]
        let sql = "SELECT \(Self.summaryColumns) FROM runs \(filter) ORDER BY id DESC LIMIT ?"
        return try read("list runs") { db in
            let rows = try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: arguments)
            return try withTaskCounts(rows.map(summary), db)
        }
    }

    /// One run in full, or nil if there is no such run.
    public func run(_ id: Int64) throws -> RunDetail? {
        try read("read run \(id)") { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(Self.summaryColumns), runs.params, runs.job_snapshot FROM runs WHERE id = ?")
            guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
            return try details(of: [row], db).first
        }
    }

    /// The newest run of each of `jobs` that has one, by job name.
    public func lastRuns(jobs: [String]) throws -> [String: RunSummary] {
        if jobs.isEmpty { return [:] }
        let names = try encodeJSON(jobs, what: "the job names of a query")
        return try read("read the last run of \(jobs.count) job(s)") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.summaryColumns) FROM runs WHERE id IN (
                  SELECT max(id) FROM runs WHERE job IN (SELECT value FROM json_each(?)) GROUP BY job)
                """)
            let summaries = try withTaskCounts(try Row.fetchAll(statement, arguments: [names]).map(summary), db)
            return Dictionary(summaries.map { ($0.job, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Every run still `queued` or `running`, oldest first, in full: what recovery looks at after
    /// a runner died.
    public func unfinishedRuns() throws -> [RunDetail] {
        try read("read the unfinished runs") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.summaryColumns), runs.params, runs.job_snapshot FROM runs
                WHERE status IN ('queued','running') ORDER BY id
                """)
            return try details(of: try Row.fetchAll(statement), db)
        }
    }

    // MARK: - Helpers

    /// Adds each summary's task counts, with one query for all of them.
    private func withTaskCounts(_ summaries: [RunSummary], _ db: Database) throws -> [RunSummary] {
        if summaries.isEmpty { return [] }
        let ids = "[" + summaries.map { String($0.id) }.joined(separator: ",") + "]"
        let statement = try db.cachedStatement(sql: """
            SELECT run_id, status, count(*) AS count FROM run_tasks
            WHERE run_id IN (SELECT value FROM json_each(?)) GROUP BY run_id, status
            """)
        var counts: [Int64: [TaskStatus: Int]] = [:]
        for row in try Row.fetchAll(statement, arguments: [ids]) {
            let r = StoredRow(row: row, table: "run_tasks", location: location)
            counts[try r.required("run_id"), default: [:]][try r.stable("status")] = try r.required("count")
        }
        return summaries.map { summary in
            var summary = summary
            summary.taskCounts = counts[summary.id] ?? [:]
            return summary
        }
    }

    /// Full records for run rows selected with `summaryColumns`, `params` and `job_snapshot`:
    /// two more queries whatever the number of runs.
    private func details(of rows: [Row], _ db: Database) throws -> [RunDetail] {
        if rows.isEmpty { return [] }
        let ids = "[" + rows.map { String(($0["id"] as Int64?) ?? 0) }.joined(separator: ",") + "]"
        let taskStatement = try db.cachedStatement(sql: """
            SELECT \(Self.taskColumns) FROM run_tasks
            WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, position, task
            """)
        var tasks: [Int64: [TaskRecord]] = [:]
        for row in try Row.fetchAll(taskStatement, arguments: [ids]) {
            let runID: Int64 = try StoredRow(row: row, table: "run_tasks", location: location).required("run_id")
            tasks[runID, default: []].append(try taskRecord(row))
        }
        let attemptStatement = try db.cachedStatement(sql: """
            SELECT \(Self.attemptColumns) FROM attempts
            WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, started_at, id
            """)
        var attempts: [Int64: [AttemptRecord]] = [:]
        for row in try Row.fetchAll(attemptStatement, arguments: [ids]) {
            let runID: Int64 = try StoredRow(row: row, table: "attempts", location: location).required("run_id")
            attempts[runID, default: []].append(try attemptRecord(row))
        }
        return try rows.map { row in
            var summary = try summary(row)
            let runTasks = tasks[summary.id] ?? []
            summary.taskCounts = runTasks.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
            let r = StoredRow(row: row, table: "runs", location: location)
            return RunDetail(
                summary: summary, params: try r.json("params"), snapshot: try r.json("job_snapshot"),
                tasks: runTasks, attempts: attempts[summary.id] ?? [])
        }
    }
}
