import Foundation
import GnomonCore
import GRDB

/// Reads typed values out of one database row, throwing `StoreError.unreadableValue` (never
/// crashing) when a value is missing or was written by a newer Gnomon.
struct StoredRow {
    let row: Row
    let table: String
    let location: String

    /// The row's key, for error messages: `run 42`.
    var context: String {
        if let id = (try? row.decode(Int64?.self, forColumn: "id")) ?? nil { return "\(table) row \(id)" }
        if let run = (try? row.decode(Int64?.self, forColumn: "run_id")) ?? nil { return "run \(run)" }
        return "a \(table) row"
    }

    func unreadable(_ column: String) -> StoreError {
        let value = row[column].map { "\($0)" } ?? "NULL"
        return .unreadableValue(location: location, table: table, column: column, value: value, context: context)
    }

    func required<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let value = try optional(column, as: T.self) else { throw unreadable(column) }
        return value
    }

    func optional<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T? {
        do {
            return try row.decode(T?.self, forColumn: column)
        } catch {
            throw unreadable(column)
        }
    }

    func date(_ column: String) throws -> Date {
        guard let text = try optional(column, as: String.self), let date = StoreDate.parse(text) else { throw unreadable(column) }
        return date
    }

    func optionalDate(_ column: String) throws -> Date? {
        guard let text = try optional(column, as: String.self) else { return nil }
        guard let date = StoreDate.parse(text) else { throw unreadable(column) }
        return date
    }

    func stable<E: RawRepresentable>(_ column: String, as type: E.Type = E.self) throws -> E where E.RawValue == String {
        guard let text = try optional(column, as: String.self), let value = E(rawValue: text) else { throw unreadable(column) }
        return value
    }

    func json<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let text = try optional(column, as: String.self) else { throw unreadable(column) }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError.unreadableValue(
                location: location, table: table, column: column, value: String(text.prefix(200)),
                context: "\(context): \(error)")
        }
    }
}

/// The columns each query selects, and how a row becomes a record.
extension GnomonStore {
    static let summaryColumns = """
        runs.id, runs.job, runs.trigger, runs.status, runs.reason, runs.scheduled_at, runs.created_at,
        runs.started_at, runs.finished_at, runs.runner_pid, runs.runner_instance, runs.cancel_requested_at,
        runs.cancel_reason
        """
    static let taskColumns = "run_id, task, status, reason, retry_at, attempts, updated_at"
    static let attemptColumns = """
        run_id, task, number, started_at, ended_at, pid, pgid, container_name, log_path, outcome, exit_code,
        signal, reason, runner_instance
        """

    func summary(_ row: Row) throws -> RunSummary {
        let r = StoredRow(row: row, table: "runs", location: location)
        return RunSummary(
            id: try r.required("id"), job: try r.required("job"), trigger: try r.stable("trigger"),
            status: try r.stable("status"), reason: try r.optional("reason"),
            scheduledAt: try r.date("scheduled_at"), createdAt: try r.date("created_at"),
            startedAt: try r.optionalDate("started_at"), finishedAt: try r.optionalDate("finished_at"),
            taskCounts: nil, runnerPID: try r.required("runner_pid"), runnerInstance: try r.required("runner_instance"),
            cancelRequestedAt: try r.optionalDate("cancel_requested_at"), cancelReason: try r.optional("cancel_reason"))
    }

    func taskRecord(_ row: Row) throws -> TaskRecord {
        let r = StoredRow(row: row, table: "run_tasks", location: location)
        return TaskRecord(
            name: try r.required("task"), status: try r.stable("status"), reason: try r.optional("reason"),
            retryAt: try r.optionalDate("retry_at"), attempts: try r.required("attempts"),
            updatedAt: try r.date("updated_at"))
    }

    func attemptRecord(_ row: Row) throws -> AttemptRecord {
        let r = StoredRow(row: row, table: "attempts", location: location)
        var outcome: AttemptOutcome?
        if let kind = try r.optional("outcome", as: String.self) {
            let columns = OutcomeColumns(
                kind: kind, exitCode: try r.optional("exit_code"), signal: try r.optional("signal"), reason: try r.optional("reason"))
            guard let decoded = columns.outcome else { throw r.unreadable("outcome") }
            outcome = decoded
        }
        return AttemptRecord(
            number: try r.required("number"), task: try r.required("task"), startedAt: try r.date("started_at"),
            endedAt: try r.optionalDate("ended_at"), pid: try r.optional("pid"), pgid: try r.optional("pgid"),
            containerName: try r.optional("container_name"), logPath: try r.required("log_path"),
            outcome: outcome, runnerInstance: try r.required("runner_instance"))
    }

    func tick(_ row: Row) throws -> Tick {
        let r = StoredRow(row: row, table: "ticks", location: location)
        return Tick(
            id: try r.required("id"), job: try r.required("job"), fireTime: try r.date("fire_time"),
            decidedAt: try r.date("decided_at"), decision: try r.stable("decision"),
            runID: try r.optional("run_id"), detail: try r.optional("detail"))
    }

    func triggerRequest(_ row: Row) throws -> TriggerRequest {
        let r = StoredRow(row: row, table: "trigger_requests", location: location)
        return TriggerRequest(
            id: try r.required("id"), job: try r.required("job"), params: try r.json("params"),
            requestedAt: try r.date("requested_at"), claimedAt: try r.optionalDate("claimed_at"),
            runID: try r.optional("run_id"), reason: try r.optional("reason"))
    }
}
