import Foundation
import GnomonCore
import GRDB

/// The columns a query selects from one table, in order; records are read by position.
struct Selection: Sendable {
    let table: String
    let columns: [String]

    /// The column list for a SELECT, each qualified with the table's name.
    var sql: String { columns.map { "\(table).\($0)" }.joined(separator: ", ") }

    func reader(_ row: Row, _ location: String) -> StoredRow {
        StoredRow(row: row, table: table, columns: columns, location: location)
    }
}

/// What each query selects and how a row becomes a record.
extension GnomonStore {
    static let runColumns = Selection(table: "runs", columns: [
        "id", "job", "trigger", "status", "reason", "scheduled_at", "created_at", "started_at", "finished_at",
        "runner_pid", "runner_instance", "cancel_requested_at", "cancel_reason",
    ])
    /// `runColumns`, then `params` (13).
    static let runDetailColumns = Selection(table: "runs", columns: runColumns.columns + ["params"])
    static let snapshotColumns = Selection(table: "run_snapshots", columns: ["run_id", "job_snapshot"])
    static let taskColumns = Selection(table: "run_tasks", columns: [
        "run_id", "task", "status", "reason", "retry_at", "attempts", "updated_at", "instance_of", "item_index", "item",
    ])
    static let attemptColumns = Selection(table: "attempts", columns: [
        "run_id", "task", "number", "started_at", "ended_at", "pid", "pgid", "container_name", "log_path",
        "outcome", "exit_code", "signal", "reason", "runner_instance", "outputs", "slurm_job_id",
    ])
    static let tickColumns = Selection(table: "ticks", columns: [
        "id", "job", "fire_time", "decided_at", "decision", "run_id", "detail",
    ])
    static let triggerColumns = Selection(table: "trigger_requests", columns: [
        "id", "job", "params", "requested_at", "claimed_at", "run_id", "reason", "tasks", "retry_of",
    ])

    /// Every row `statement` returns, decoded in place (no copy of each row).
    func fetch<T>(
        _ statement: Statement, _ arguments: StatementArguments = [], _ decode: (Row) throws -> T
    ) throws -> [T] {
        var result: [T] = []
        try forEachRow(statement, arguments) { result.append(try decode($0)) }
        return result
    }

    /// Calls `body` with every row `statement` returns (the row is only valid during the call).
    func forEachRow(
        _ statement: Statement, _ arguments: StatementArguments = [], _ body: (Row) throws -> Void
    ) throws {
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try cursor.next() {
            try body(row)
        }
    }

    /// A row of `runColumns` (or `runDetailColumns`).
    func summary(_ row: Row) throws -> RunSummary {
        let r = Self.runColumns.reader(row, location)
        return RunSummary(
            id: try r.required(0), job: try r.required(1), trigger: try r.stable(2), status: try r.stable(3),
            reason: try r.optional(4), scheduledAt: try r.date(5), createdAt: try r.date(6),
            startedAt: try r.optionalDate(7), finishedAt: try r.optionalDate(8), taskCounts: nil,
            runnerPID: try r.required(9), runnerInstance: try r.required(10),
            cancelRequestedAt: try r.optionalDate(11), cancelReason: try r.optional(12))
    }

    /// A row of `taskColumns`, with its run's id.
    func taskRecord(_ row: Row) throws -> (run: Int64, task: TaskRecord) {
        let r = Self.taskColumns.reader(row, location)
        let task = TaskRecord(
            name: try r.required(1), status: try r.stable(2), reason: try r.optional(3),
            retryAt: try r.optionalDate(4), attempts: try r.required(5), updatedAt: try r.date(6),
            instanceOf: try r.optional(7), index: try r.optional(8), item: try r.optional(9))
        return (try r.required(0), task)
    }

    /// A row of `attemptColumns`, with its run's id.
    func attemptRecord(_ row: Row) throws -> (run: Int64, attempt: AttemptRecord) {
        let r = Self.attemptColumns.reader(row, location)
        var outcome: AttemptOutcome?
        if let kind = try r.optional(9, as: String.self) {
            let columns = OutcomeColumns(
                kind: kind, exitCode: try r.optional(10), signal: try r.optional(11), reason: try r.optional(12))
            guard let decoded = columns.outcome else { throw r.unreadable(9) }
            outcome = decoded
        }
        let attempt = AttemptRecord(
            number: try r.required(2), task: try r.required(1), startedAt: try r.date(3),
            endedAt: try r.optionalDate(4), pid: try r.optional(5), pgid: try r.optional(6),
            containerName: try r.optional(7), logPath: try r.required(8), outcome: outcome,
            runnerInstance: try r.required(13),
            // A successful attempt that wrote none has none (NULL in the row, {} here).
            outputs: try r.optionalJSON(14) ?? (outcome?.succeeded == true ? [:] : nil),
            slurm: try r.optional(15, as: String.self).map { SlurmJobRecord(id: $0.isEmpty ? nil : $0) })
        return (try r.required(0), attempt)
    }

    /// A row of `tickColumns`.
    func tick(_ row: Row) throws -> Tick {
        let r = Self.tickColumns.reader(row, location)
        return Tick(
            id: try r.required(0), job: try r.required(1), fireTime: try r.date(2), decidedAt: try r.date(3),
            decision: try r.stable(4), runID: try r.optional(5), detail: try r.optional(6))
    }

    /// A row of `triggerColumns`.
    func triggerRequest(_ row: Row) throws -> TriggerRequest {
        let r = Self.triggerColumns.reader(row, location)
        return TriggerRequest(
            id: try r.required(0), job: try r.required(1), params: try r.json(2), requestedAt: try r.date(3),
            claimedAt: try r.optionalDate(4), runID: try r.optional(5), reason: try r.optional(6),
            tasks: try r.optionalJSON(7) ?? [], retryOf: try r.optional(8))
    }
}
