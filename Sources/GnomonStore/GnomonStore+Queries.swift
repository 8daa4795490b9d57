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
            let sorted = statuses.map(\.rawValue).sorted()
            conditions.append("status IN (" + sorted.map { _ in "?" }.joined(separator: ", ") + ")")
            arguments += StatementArguments(sorted)
        }
        if let since = query.since {
            conditions.append("created_at >= ?")
            arguments += [StoreDate.databaseText(since)]
        }
        if let until = query.until {
            conditions.append("created_at < ?")
            arguments += [StoreDate.databaseText(until)]
        }
        if let triggers = query.triggers {
            if triggers.isEmpty { return [] }
            let sorted = triggers.map(\.rawValue).sorted()
            conditions.append("trigger IN (" + sorted.map { _ in "?" }.joined(separator: ", ") + ")")
            arguments += StatementArguments(sorted)
        }
        if let beforeID = query.beforeID {
            conditions.append("id < ?")
            arguments += [beforeID]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [max(0, query.limit)]
        let sql = "SELECT \(Self.runColumns.sql) FROM runs \(filter) ORDER BY id DESC LIMIT ?"
        return try read("list runs") { db in
            try withTaskCounts(try fetch(try db.cachedStatement(sql: sql), arguments, summary), db)
        }
    }

    /// The outputs each task of run `id` published, by task: those of its latest attempt that
    /// succeeded (none for a task whose successful attempt wrote none); tasks with no successful
    /// attempt are absent. What a continued run (`gnomon retry`, recovery) resolves references
    /// to the tasks that succeeded before it with.
    public func publishedOutputs(run id: Int64) throws -> [String: [String: String]] {
        try read("read the outputs of run \(id)") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT task, outputs FROM attempts
                WHERE run_id = ? AND outcome = 'exited' AND exit_code = 0 ORDER BY task, number
                """)
            var outputs: [String: [String: String]] = [:]
            try forEachRow(statement, [id]) { row in
                let r = StoredRow(row: row, table: "attempts", columns: ["task", "outputs"], location: location)
                outputs[try r.required(0)] = try r.optionalJSON(1, as: [String: String].self) ?? [:]
            }
            return outputs
        }
    }

    /// One run in full, or nil if there is no such run.
    ///
    /// - Parameter snapshot: false leaves the job's stored definition out (``RunDetail/snapshot``
    ///   holds only the job's name, no tasks): decoding it is most of the cost of reading a run
    ///   of 100,000 tasks, and `gnomon show` does not print it.
    public func run(_ id: Int64, snapshot: Bool = true) throws -> RunDetail? {
        try read("read run \(id)") { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(Self.runDetailColumns.sql) FROM runs WHERE id = ?")
            return try details(of: statement, [id], db, snapshot: snapshot).first
        }
    }

    /// The newest run of each of `jobs` that has one, by job name.
    public func lastRuns(jobs: [String]) throws -> [String: RunSummary] {
        if jobs.isEmpty { return [:] }
        let names = try encodeJSON(jobs, what: "the job names of a query")
        return try read("read the last run of \(jobs.count) job(s)") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.runColumns.sql) FROM runs WHERE id IN (
                  SELECT max(id) FROM runs WHERE job IN (SELECT value FROM json_each(?)) GROUP BY job)
                """)
            let summaries = try withTaskCounts(try fetch(statement, [names], summary), db)
            return Dictionary(summaries.map { ($0.job, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Every run still `queued` or `running`, oldest first, in full: what recovery looks at after
    /// a runner died.
    public func unfinishedRuns() throws -> [RunDetail] {
        try read("read the unfinished runs") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.runDetailColumns.sql) FROM runs
                WHERE status IN ('queued','running') ORDER BY id
                """)
            return try details(of: statement, [], db)
        }
    }

    // MARK: - Helpers

    /// Adds each summary's task counts, with one query for all of them.
    private func withTaskCounts(_ summaries: [RunSummary], _ db: Database) throws -> [RunSummary] {
        if summaries.isEmpty { return [] }
        let statement = try db.cachedStatement(sql: """
            SELECT run_id, status, count(*) FROM run_tasks
            WHERE run_id IN (SELECT value FROM json_each(?)) AND instance_of IS NULL GROUP BY run_id, status
            """)
        let counted = Selection(table: "run_tasks", columns: ["run_id", "status", "count(*)"])
        var counts: [Int64: [TaskStatus: Int]] = [:]
        try forEachRow(statement, [Self.idList(summaries.map(\.id))]) { row in
            let r = counted.reader(row, location)
            counts[try r.required(0), default: [:]][try r.stable(1)] = try r.required(2)
        }
        return summaries.map { summary in
            var summary = summary
            summary.taskCounts = counts[summary.id] ?? [:]
            return summary
        }
    }

    /// Full records for the runs `statement` selects with `runDetailColumns`: two more queries
    /// whatever the number of runs, and a third for their snapshots when `snapshot` is set.
    private func details(
        of statement: Statement, _ arguments: StatementArguments, _ db: Database, snapshot: Bool = true
    ) throws -> [RunDetail] {
        let runs = try fetch(statement, arguments) { row in
            let r = Self.runDetailColumns.reader(row, location)
            return (summary: try summary(row), params: try r.json(13, as: [String: String].self))
        }
        if runs.isEmpty { return [] }
        let ids = Self.idList(runs.map(\.summary.id))
        var snapshots: [Int64: JobSpec] = [:]
        if snapshot {
            let select = try db.cachedStatement(sql: """
                SELECT \(Self.snapshotColumns.sql) FROM run_snapshots WHERE run_id IN (SELECT value FROM json_each(?))
                """)
            try forEachRow(select, [ids]) { row in
                let r = Self.snapshotColumns.reader(row, location)
                snapshots[try r.required(0)] = try r.json(1, as: JobSpec.self)
            }
        }
        let tasks = try byRun(
            "SELECT \(Self.taskColumns.sql) FROM run_tasks", order: "position, item_index, task", ids: ids, db, taskRecord)
        let attempts = try byRun(
            "SELECT \(Self.attemptColumns.sql) FROM attempts", order: "started_at, id", ids: ids, db, attemptRecord)
        return try runs.map { run in
            var summary = run.summary
            let job: JobSpec
            if !snapshot {
                job = JobSpec(name: summary.job, tasks: [], directory: "")
            } else if let recorded = snapshots[summary.id] {
                job = recorded
            } else {
                throw StoreError.corrupt(location: location, reason: "run \(summary.id) has no job snapshot in table run_snapshots")
            }
            let runTasks = tasks[summary.id] ?? []
            summary.taskCounts = runTasks.reduce(into: [:]) { if $1.instanceOf == nil { $0[$1.status, default: 0] += 1 } }
            return RunDetail(
                summary: summary, params: run.params, snapshot: job, tasks: runTasks,
                attempts: attempts[summary.id] ?? [])
        }
    }

    /// The rows `select` reads for the runs in `ids`, grouped by run, each run's in `order`.
    private func byRun<Record>(
        _ select: String, order: String, ids: String, _ db: Database,
        _ record: (Row) throws -> (Int64, Record)
    ) throws -> [Int64: [Record]] {
        let statement = try db.cachedStatement(sql: """
            \(select) WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, \(order)
            """)
        var grouped: [Int64: [Record]] = [:]
        try forEachRow(statement, [ids]) { row in
            let (run, record) = try record(row)
            grouped[run, default: []].append(record)
        }
        return grouped
    }

    /// Run ids as a JSON array, bound as one argument and read with `json_each`.
    private static func idList(_ ids: [Int64]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }
}
