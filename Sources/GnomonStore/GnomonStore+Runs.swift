import Foundation
import GnomonCore
import GRDB

/// Writing runs: creating them, recording their changes, asking them to stop.
extension GnomonStore {
    /// Inserts a run and all its tasks in one transaction and returns the run's id.
    ///
    /// Throws `StoreError.duplicateRun` if a `schedule` or `catchup` run exists already for the same
    /// job and scheduled time, or a run of the same backfill (manual runs may share a time).
    public func createRun(_ new: NewRun) throws -> Int64 {
        let params = try encodeJSON(new.params, what: "the parameters of a run of \(new.job)")
        let snapshot = try new.encodedSnapshot.flatMap { $0.job == new.snapshot ? $0.text : nil }
            ?? encodeSnapshot(new.snapshot, job: new.job)
        return try write("create a run of job \(new.job)") { db in
            try insertRun(new, params: params, snapshot: snapshot, db)
        }
    }

    /// Creates many runs, each followed by its changes, in one transaction: all or none.
    ///
    /// For bulk loads (benchmarks, imports), where one transaction per call would dominate the
    /// cost. `changes` receives each run's index in `runs` and its new id. Equal snapshots are
    /// encoded once.
    /// - Returns: the new runs' ids, in the order of `runs`.
    public func createRuns(_ runs: [NewRun], changes: (_ index: Int, _ run: Int64) -> [StoreChange]) throws -> [Int64] {
        var encoded: [(params: String, snapshot: String)] = []
        encoded.reserveCapacity(runs.count)
        var snapshots: [JobSpec: String] = [:]
        for new in runs {
            let snapshot: String
            if let known = snapshots[new.snapshot] {
                snapshot = known
            } else {
                snapshot = try encodeSnapshot(new.snapshot, job: new.job)
                snapshots[new.snapshot] = snapshot
            }
            encoded.append((try encodeJSON(new.params, what: "the parameters of a run of \(new.job)"), snapshot))
        }
        return try write("create \(runs.count) run(s)") { db in
            var ids: [Int64] = []
            ids.reserveCapacity(runs.count)
            for (index, new) in runs.enumerated() {
                let id = try insertRun(new, params: encoded[index].params, snapshot: encoded[index].snapshot, db)
                ids.append(id)
                let made = changes(index, id)
                for change in made {
                    do {
                        try apply(change, db)
                    } catch let error as DatabaseError {
                        throw try explain(error, of: change, db)
                    }
                }
                try EventAppender.appending(in: db, store: self) { events in
                    events.know(run: id, job: new.job)
                    for change in made { try events.append(for: change) }
                }
            }
            return ids
        }
    }

    /// Inserts a run and its tasks inside the caller's transaction and returns the run's id.
    private func insertRun(_ new: NewRun, params: String, snapshot: String, _ db: Database) throws -> Int64 {
        let created = StoreDate.databaseText(new.createdAt)
        let order = Dictionary(
            new.snapshot.tasks.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let insertRun = try db.cachedStatement(sql: """
            INSERT INTO runs (job, trigger, scheduled_at, created_at, started_at, finished_at, status,
              params, runner_pid, runner_instance, backfill_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        do {
            try insertRun.execute(arguments: [
                new.job, new.trigger.rawValue, StoreDate.databaseText(new.scheduledAt), created,
                new.status == .queued ? nil : created, new.status.isFinished ? created : nil,
                new.status.rawValue, params, Int64(new.runnerPID), new.runnerInstance, new.backfillID,
            ])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            let existing = try Int64.fetchOne(db, sql: """
                SELECT id FROM runs WHERE job = ? AND scheduled_at = ?
                  AND (trigger IN ('schedule','catchup') OR backfill_id IS ?)
                """, arguments: [new.job, StoreDate.databaseText(new.scheduledAt), new.backfillID ?? -1])
            guard let existing else { throw error }
            throw StoreError.duplicateRun(
                job: new.job, scheduledAt: StoreDate.rounded(new.scheduledAt), existing: existing)
        }
        let run = db.lastInsertedRowID
        let insertSnapshot = try db.cachedStatement(sql: "INSERT INTO run_snapshots (run_id, job_snapshot) VALUES (?, ?)")
        try insertSnapshot.execute(arguments: [run, snapshot])
        let insertTask = try db.cachedStatement(sql: """
            INSERT INTO run_tasks (run_id, task, position, status, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (index, task) in new.tasks.enumerated() {
            // Tasks sit in the snapshot's order; any the snapshot lacks come after, as given.
            let position = order[task.name] ?? new.snapshot.tasks.count + index
            do {
                try insertTask.execute(arguments: [
                    run, task.name, position, task.status.rawValue, task.reason, created,
                ])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                throw StoreError.invalidValue(
                    location: location, operation: "create a run of job \(new.job)",
                    reason: "task \(task.name) is listed twice")
            }
        }
        try EventAppender.appending(in: db, store: self) { events in
            try events.append(at: new.createdAt, type: .runCreated, job: new.job, run: run, status: new.status.rawValue,
                              detail: new.trigger.rawValue)
            if new.status != .queued {
                try events.append(at: new.createdAt, type: new.status.isFinished ? .runFinished : .runStarted,
                                  job: new.job, run: run, status: new.status.rawValue)
            }
        }
        if let request = new.triggerRequestID {
            let attach = try db.cachedStatement(sql: """
                UPDATE trigger_requests SET run_id = ? WHERE id = ? AND claimed_at IS NOT NULL AND run_id IS NULL
                """)
            try attach.execute(arguments: [run, request])
            if db.changesCount == 0 {
                throw StoreError.invalidValue(
                    location: location, operation: "create a run of job \(new.job)",
                    reason: "trigger request \(request) is unknown, unclaimed or already has a run")
            }
        }
        return run
    }

    /// Applies `changes` in order, in one transaction: all of them or, if one fails, none.
    ///
    /// Fewer statements, the same rows: a task status that a later change of the same batch
    /// overwrites (`running`, then `succeeded`) is not written, and an attempt that starts and
    /// ends in the same batch is inserted ended.
    ///
    /// - Parameter request: a claimed retry request (``addRetryRequest(run:job:at:)``) that these
    ///   changes answer: it gets its run in the same transaction, so a daemon that dies after the
    ///   reopen leaves an answered request and a run that recovery continues, never half of it.
    public func record(_ changes: [StoreChange], answering request: Int64? = nil) throws {
        guard !changes.isEmpty else { return }
        try write("record \(changes.count) change(s)") { db in
            if let request {
                let answer = try db.cachedStatement(sql: """
                    UPDATE trigger_requests SET run_id = retry_of
                    WHERE id = ? AND retry_of IS NOT NULL AND claimed_at IS NOT NULL AND run_id IS NULL AND reason IS NULL
                    """)
                try answer.execute(arguments: [request])
                if db.changesCount == 0 {
                    throw StoreError.invalidValue(
                        location: location, operation: "answer retry request \(request)",
                        reason: "the request is unknown, unclaimed, not a retry or already answered")
                }
            }
            let kept = Self.withoutOverwrittenStatuses(changes)
            let endings = Self.endingsOfStartedAttempts(kept)
            let merged = Set(endings.values)
            let counts = Self.attemptCountsCarried(kept)
            for (index, change) in kept.enumerated() where !merged.contains(index) {
                do {
                    var ending: (AttemptOutcome, Date)?
                    if let end = endings[index], case let .attemptFinished(_, _, _, outcome, at) = kept[end] {
                        ending = (outcome, at)
                    }
                    try apply(change, endedWith: ending, countCarried: counts.carried.contains(index),
                              attemptCount: counts.carriers[index], db)
                } catch let error as DatabaseError {
                    throw try explain(error, of: change, db)
                }
            }
            // Every change that matters is told, including those the batch wrote over.
            try EventAppender.appending(in: db, store: self) { events in
                for change in changes { try events.append(for: change) }
            }
        }
    }

    /// Asks a run to stop; returns false if the run is finished or unknown.
    ///
    /// A second request keeps the first one's time and reason. The runner finds it with
    /// `cancelRequest(run:)`.
    public func requestCancel(run: Int64, reason: String, at: Date) throws -> Bool {
        try write("request the cancellation of run \(run)") { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE runs SET cancel_requested_at = coalesce(cancel_requested_at, ?),
                  cancel_reason = coalesce(cancel_reason, ?)
                WHERE id = ? AND status IN ('queued','running')
                """)
            try statement.execute(arguments: [StoreDate.databaseText(at), reason, run])
            return db.changesCount > 0
        }
    }

    /// The reason given when the run's cancellation was requested, or nil if it was not.
    public func cancelRequest(run: Int64) throws -> String? {
        try read("read the cancellation request of run \(run)") { db in
            let statement = try db.cachedStatement(sql: "SELECT cancel_reason FROM runs WHERE id = ?")
            return try String.fetchOne(statement, arguments: [run])
        }
    }

    // MARK: - Applying changes

    /// - Parameters:
    ///   - ending: for an `attemptStarted`, its end recorded in the same batch.
    ///   - countCarried: for an `attemptStarted`, a later status of its task records the count.
    ///   - attemptCount: for a `taskStatus`, the attempt count it records too.
    private func apply(
        _ change: StoreChange, endedWith ending: (AttemptOutcome, Date)? = nil, countCarried: Bool = false,
        attemptCount: Int? = nil, _ db: Database
    ) throws {
        switch change {
        case .runStatus(let run, let status, let reason, let at):
            let statement = try db.cachedStatement(sql: """
                UPDATE runs SET status = ?1, reason = ?2,
                  started_at = CASE WHEN ?1 = 'running' THEN coalesce(started_at, ?3) ELSE started_at END,
                  finished_at = CASE WHEN ?4 THEN coalesce(finished_at, ?3) ELSE NULL END
                WHERE id = ?5
                """)
            try statement.execute(arguments: [
                status.rawValue, reason, StoreDate.databaseText(at), status.isFinished, run,
            ])
            if db.changesCount == 0 {
                throw StoreError.unknownRun(location: location, run: run, operation: change.label)
            }
        case .taskStatus(let run, let task, let status, let reason, let retryAt, let at):
            let retry = status == .retrying ? retryAt.map(StoreDate.databaseText) : nil
            // Without a count to record, `max(attempts, 0)` keeps the row's (never below 0).
            let statement = try db.cachedStatement(sql: """
                UPDATE run_tasks SET status = ?, reason = ?, retry_at = ?, updated_at = ?, attempts = max(attempts, ?)
                WHERE run_id = ? AND task = ?
                """)
            try RawBindings.execute(statement) {
                $0.add(status.rawValue); $0.add(reason); $0.add(retry); $0.add(StoreDate.databaseText(at))
                $0.add(attemptCount ?? 0); $0.add(run); $0.add(task)
            }
            if db.changesCount == 0 { throw try missingTask(run: run, task: task, change, db) }
        case .attemptStarted(let run, let task, let number, let at, let pid, let pgid, let container,
                             let logPath, let runnerInstance, let slurmJob):
            let started = StoreDate.databaseText(at)
            if let (outcome, endedAt) = ending {
                let columns = OutcomeColumns(outcome)
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO attempts (run_id, task, number, started_at, pid, pgid, container_name, log_path,
                      runner_instance, ended_at, outcome, exit_code, signal, reason, slurm_job_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                try RawBindings.execute(insert) {
                    $0.add(run); $0.add(task); $0.add(number); $0.add(started); $0.add(pid); $0.add(pgid)
                    $0.add(container); $0.add(logPath); $0.add(runnerInstance); $0.add(StoreDate.databaseText(endedAt))
                    $0.add(columns.kind); $0.add(columns.exitCode); $0.add(columns.signal); $0.add(columns.reason)
                    $0.add(slurmJob)
                }
            } else {
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO attempts (run_id, task, number, started_at, pid, pgid, container_name, log_path,
                      runner_instance, slurm_job_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                try RawBindings.execute(insert) {
                    $0.add(run); $0.add(task); $0.add(number); $0.add(started); $0.add(pid); $0.add(pgid)
                    $0.add(container); $0.add(logPath); $0.add(runnerInstance); $0.add(slurmJob)
                }
            }
            guard !countCarried else { return }
            let count = try db.cachedStatement(sql: """
                UPDATE run_tasks SET attempts = max(attempts, ?), updated_at = ? WHERE run_id = ? AND task = ?
                """)
            try RawBindings.execute(count) {
                $0.add(number); $0.add(started); $0.add(run); $0.add(task)
            }
        case .attemptFinished(let run, let task, let number, let outcome, let at):
            let columns = OutcomeColumns(outcome)
            let statement = try db.cachedStatement(sql: """
                UPDATE attempts SET ended_at = ?, outcome = ?, exit_code = ?, signal = ?, reason = ?
                WHERE run_id = ? AND task = ? AND number = ?
                """)
            try RawBindings.execute(statement) {
                $0.add(StoreDate.databaseText(at)); $0.add(columns.kind); $0.add(columns.exitCode)
                $0.add(columns.signal); $0.add(columns.reason); $0.add(run); $0.add(task); $0.add(number)
            }
            if db.changesCount == 0 { throw try missingAttempt(run: run, task: task, number: number, change, db) }
        case .attemptOutputs(let run, let task, let number, let outputs):
            let statement = try db.cachedStatement(sql: """
                UPDATE attempts SET outputs = ? WHERE run_id = ? AND task = ? AND number = ?
                """)
            try statement.execute(arguments: [try encodeJSON(outputs, what: change.label), run, task, number])
            if db.changesCount == 0 { throw try missingAttempt(run: run, task: task, number: number, change, db) }
        case .instancesCreated(let run, let task, let items, let at):
            let insert = try db.cachedStatement(sql: """
                INSERT INTO run_tasks (run_id, task, position, status, updated_at, instance_of, item_index, item)
                SELECT run_id, ?, position, 'waiting', ?, task, ?, ? FROM run_tasks WHERE run_id = ? AND task = ?
                """)
            let updated = StoreDate.databaseText(at)
            for (index, item) in items.enumerated() {
                try insert.execute(arguments: [ForeachSource.instanceName(task, index), updated, index, item, run, task])
                if db.changesCount == 0 { throw try missingTask(run: run, task: task, change, db) }
            }
        case .runRunner(let run, let pid, let instance):
            let statement = try db.cachedStatement(sql: """
                UPDATE runs SET runner_pid = ?, runner_instance = ?, cancel_requested_at = NULL, cancel_reason = NULL
                WHERE id = ?
                """)
            try statement.execute(arguments: [Int64(pid), instance, run])
            if db.changesCount == 0 {
                throw StoreError.unknownRun(location: location, run: run, operation: change.label)
            }
        }
    }

    /// Turns a constraint failure of `change` into the StoreError that says what was wrong.
    private func explain(_ error: DatabaseError, of change: StoreChange, _ db: Database) throws -> any Error {
        switch (change, error.extendedResultCode) {
        case (.attemptStarted(let run, let task, let number, _, _, _, _, _, _, _), .SQLITE_CONSTRAINT_UNIQUE):
            return StoreError.duplicateAttempt(location: location, run: run, task: task, number: number)
        case (.attemptStarted(let run, let task, _, _, _, _, _, _, _, _), .SQLITE_CONSTRAINT_FOREIGNKEY):
            return try missingTask(run: run, task: task, change, db)
        default:
            return StoreError.wrap(error, location: location, operation: change.label)
        }
    }

    private func missingTask(run: Int64, task: String, _ change: StoreChange, _ db: Database) throws -> StoreError {
        guard try runExists(run, db) else {
            return .unknownRun(location: location, run: run, operation: change.label)
        }
        return .unknownTask(location: location, run: run, task: task, operation: change.label)
    }

    private func missingAttempt(
        run: Int64, task: String, number: Int, _ change: StoreChange, _ db: Database
    ) throws -> StoreError {
        guard try runExists(run, db) else {
            return .unknownRun(location: location, run: run, operation: change.label)
        }
        let taskExists = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM run_tasks WHERE run_id = ? AND task = ?)",
            arguments: [run, task]) ?? false
        guard taskExists else {
            return .unknownTask(location: location, run: run, task: task, operation: change.label)
        }
        return .unknownAttempt(location: location, run: run, task: task, number: number)
    }

    private func runExists(_ run: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?)", arguments: [run]) ?? false
    }

    /// JSON text for a column: sorted keys, so equal values are equal text.
    /// The run's snapshot of its job as JSON text (``JSONText``: several times faster than
    /// `JSONEncoder` for a large job, and read back with `JSONDecoder`).
    func encodeSnapshot(_ job: JobSpec, job name: String) throws -> String {
        do {
            return try JobSnapshot.text(of: job)
        } catch {
            throw StoreError.invalidValue(
                location: location, operation: "encode the job snapshot of a run of \(name)", reason: "\(error)")
        }
    }

    func encodeJSON<T: Encodable>(_ value: T, what: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError.invalidValue(location: location, operation: "encode \(what)", reason: "\(error)")
        }
    }
}
