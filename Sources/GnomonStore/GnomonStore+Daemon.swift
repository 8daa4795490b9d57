import Foundation
import GnomonCore
import GRDB

/// What the daemon keeps besides runs: pause overrides, scheduling decisions, manual run requests.
extension GnomonStore {
    // MARK: - Pause

    /// Records `gnomon pause` / `gnomon resume` for a job; it overrides the job file's `paused`.
    public func setPaused(job: String, paused: Bool, at: Date) throws {
        try write("record job \(job) as \(paused ? "paused" : "resumed")") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO job_state (job, paused, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (job) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at
                """)
            try statement.execute(arguments: [job, paused, StoreDate.databaseText(at)])
        }
    }

    /// Forgets a job's pause override, so its job file's `paused` applies again.
    public func clearPaused(job: String) throws {
        try write("clear the pause override of job \(job)") { db in
            try db.cachedStatement(sql: "DELETE FROM job_state WHERE job = ?").execute(arguments: [job])
        }
    }

    /// Every job's pause override, by job name.
    public func pausedOverrides() throws -> [String: Bool] {
        try read("read the pause overrides") { db in
            var overrides: [String: Bool] = [:]
            let selection = Selection(table: "job_state", columns: ["job", "paused"])
            let statement = try db.cachedStatement(sql: "SELECT \(selection.sql) FROM job_state")
            try forEachRow(statement) { row in
                let r = selection.reader(row, location)
                overrides[try r.required(0)] = try r.required(1)
            }
            return overrides
        }
    }

    // MARK: - Ticks

    /// Records a decision about one fire time; returns false (and changes nothing) if the same
    /// decision was recorded for that job and time already, as after a daemon restart.
    @discardableResult
    public func recordTick(_ tick: Tick) throws -> Bool {
        try write("record the \(tick.decision.rawValue) tick of job \(tick.job)") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO ticks (job, fire_time, decided_at, decision, run_id, detail) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (job, fire_time, decision) DO NOTHING
                """)
            try statement.execute(arguments: [
                tick.job, StoreDate.databaseText(tick.fireTime), StoreDate.databaseText(tick.decidedAt),
                tick.decision.rawValue, tick.runID, tick.detail,
            ])
            guard db.changesCount > 0 else { return false }
            try EventAppender.appending(in: db, store: self) { events in
                try events.append(at: tick.decidedAt, type: .fireTime, job: tick.job, run: tick.runID,
                                  status: tick.decision.rawValue, detail: "fire time \(ISOTime.utc(tick.fireTime))"
                                      + (tick.detail.map { ": " + $0 } ?? ""))
            }
            return true
        }
    }

    /// A job's most recent ticks, latest fire time first.
    public func ticks(job: String, limit: Int) throws -> [Tick] {
        try read("read the ticks of job \(job)") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.tickColumns.sql) FROM ticks WHERE job = ? ORDER BY fire_time DESC, id DESC LIMIT ?
                """)
            return try fetch(statement, [job, max(0, limit)], tick)
        }
    }

    /// The latest fire time recorded for each job: where catch-up starts after a restart.
    public func lastFireTimes() throws -> [String: Date] {
        try read("read the last fire times") { db in
            var times: [String: Date] = [:]
            let selection = Selection(table: "ticks", columns: ["job", "max(fire_time)"])
            let statement = try db.cachedStatement(sql: "SELECT job, max(fire_time) FROM ticks GROUP BY job")
            try forEachRow(statement) { row in
                let r = selection.reader(row, location)
                times[try r.required(0)] = try r.date(1)
            }
            return times
        }
    }

    // MARK: - Trigger requests

    /// Asks the daemon for a manual run of `job`; returns the request's id.
    public func addTriggerRequest(job: String, params: [String: String], tasks: [String] = [], at: Date) throws -> Int64 {
        let paramsText = try encodeJSON(params, what: "the parameters of a trigger request for \(job)")
        let tasksText = tasks.isEmpty ? nil : try encodeJSON(tasks, what: "the tasks of a trigger request for \(job)")
        return try write("ask for a run of job \(job)") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO trigger_requests (job, params, requested_at, tasks) VALUES (?, ?, ?, ?)
                """)
            try statement.execute(arguments: [job, paramsText, StoreDate.databaseText(at), tasksText])
            return db.lastInsertedRowID
        }
    }

    /// Asks the daemon to retry run `run` of `job` (a failed or cancelled run); returns the
    /// request's id. The daemon answers it with the run itself once reopened, or a reason.
    public func addRetryRequest(run: Int64, job: String, at: Date) throws -> Int64 {
        try write("ask for a retry of run \(run)") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO trigger_requests (job, params, requested_at, retry_of) VALUES (?, '{}', ?, ?)
                """)
            do {
                try statement.execute(arguments: [job, StoreDate.databaseText(at), run])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
                throw StoreError.unknownRun(location: location, run: run, operation: "ask for a retry of run \(run)")
            }
            return db.lastInsertedRowID
        }
    }

    /// Marks every unclaimed request as claimed at `at` and returns them, oldest first. Two daemons
    /// never claim the same request.
    public func claimTriggerRequests(at: Date) throws -> [TriggerRequest] {
        try write("claim trigger requests") { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE trigger_requests SET claimed_at = ? WHERE claimed_at IS NULL
                RETURNING \(Self.triggerColumns.columns.joined(separator: ", "))
                """)
            return try fetch(statement, [StoreDate.databaseText(at)], triggerRequest).sorted { $0.id < $1.id }
        }
    }

    /// Records the run started for a claimed request.
    public func attachRun(toTrigger id: Int64, run: Int64) throws {
        try write("attach run \(run) to trigger request \(id)") { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE trigger_requests SET run_id = ? WHERE id = ? AND claimed_at IS NOT NULL
                """)
            try statement.execute(arguments: [run, id])
            if db.changesCount == 0 { throw try unusableTrigger(id, db) }
        }
    }

    /// Records why a claimed request got no run (for example, no job has that name).
    public func rejectTrigger(_ id: Int64, reason: String) throws {
        try write("reject trigger request \(id)") { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE trigger_requests SET reason = ? WHERE id = ? AND claimed_at IS NOT NULL
                """)
            try statement.execute(arguments: [reason, id])
            if db.changesCount == 0 { throw try unusableTrigger(id, db) }
        }
    }

    /// One trigger request, or nil if there is none with that id.
    public func triggerRequest(_ id: Int64) throws -> TriggerRequest? {
        try read("read trigger request \(id)") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.triggerColumns.sql) FROM trigger_requests WHERE id = ?
                """)
            return try fetch(statement, [id], triggerRequest).first
        }
    }

    private func unusableTrigger(_ id: Int64, _ db: Database) throws -> StoreError {
        let exists = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM trigger_requests WHERE id = ?)", arguments: [id]) ?? false
        guard exists else { return .unknownTriggerRequest(location: location, id: id) }
        return .invalidValue(
            location: location, operation: "update trigger request \(id)",
            reason: "the request has not been claimed; call claimTriggerRequests first")
    }
}
