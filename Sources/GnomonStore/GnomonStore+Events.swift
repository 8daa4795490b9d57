import Foundation
import GnomonCore
import GRDB

/// The durable event record: appended inside the transaction of the change it tells, read from
/// a remembered id.
extension GnomonStore {
    /// Events after `id`, oldest first, at most `limit`; only those of `job` or of `run` when given.
    public func events(after id: Int64, limit: Int, job: String? = nil, run: Int64? = nil) throws -> [StoredEvent] {
        var conditions = ["id > ?"]
        var arguments: StatementArguments = [id]
        if let job {
            conditions.append("job = ?")
            arguments += [job]
        }
        if let run {
            conditions.append("run_id = ?")
            arguments += [run]
        }
        arguments += [max(0, limit)]
        let sql = "SELECT \(Self.eventColumns.sql) FROM events WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?"
        return try read("read the events after \(id)") { db in
            try fetch(try db.cachedStatement(sql: sql), arguments, event)
        }
    }

    /// The newest event's id (0 before the first): where a reader that wants only what happens
    /// from now on starts.
    public func lastEventID() throws -> Int64 {
        try read("read the last event id") { db in
            try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0
        }
    }

    /// Records whether a job file is valid (`problem` nil) or not (its first problem), appending
    /// `job_invalid` when it becomes invalid (also the first time it is seen) and `job_valid` when
    /// it becomes valid again. Returns whether its validity changed.
    @discardableResult
    public func recordJobFile(job: String, problem: String?, at: Date) throws -> Bool {
        try write("record whether job file \(job) is valid") { db in
            let previous = try Bool.fetchOne(db, sql: "SELECT valid FROM job_files WHERE job = ?", arguments: [job])
            let valid = problem == nil
            try db.execute(sql: """
                INSERT INTO job_files (job, valid, problem, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (job) DO UPDATE SET valid = excluded.valid, problem = excluded.problem,
                  updated_at = excluded.updated_at
                """, arguments: [job, valid, problem, StoreDate.databaseText(at)])
            let changed = previous.map { $0 != valid } ?? !valid
            if changed {
                try EventAppender.appending(in: db, store: self) { events in
                    try events.append(at: at, type: valid ? .jobValid : .jobInvalid, job: job,
                                      status: valid ? "valid" : "invalid", detail: problem)
                }
            }
            return changed
        }
    }

    /// Appends a `job_silent` event: the notifier's dead man's switch found that no run of `job`
    /// succeeded since `since`.
    public func recordSilence(job: String, since: Date, at: Date) throws {
        try write("record that job \(job) has not succeeded since \(ISOTime.utc(since))") { db in
            try EventAppender.appending(in: db, store: self) { events in
                try events.append(at: at, type: .jobSilent, job: job, detail: "no run succeeded since \(ISOTime.utc(since))")
            }
        }
    }

    /// Appends a `job_late` event: no run of `job` for fire time `fireTime` had started by
    /// `deadline`.
    public func recordLate(job: String, fireTime: Date, deadline: Date, at: Date) throws {
        try write("record that job \(job) is late") { db in
            try EventAppender.appending(in: db, store: self) { events in
                try events.append(at: at, type: .jobLate, job: job, status: ISOTime.utc(fireTime),
                                  detail: "no run for fire time \(ISOTime.utc(fireTime)) had started by \(ISOTime.utc(deadline))")
            }
        }
    }

    /// Appends `disk_low` (attempts of the home began to wait for free space) or `disk_ok` (it
    /// returned), about the attempt of `task` in run `run` whose wait began the episode.
    public func recordDiskSpace(low: Bool, job: String, run: Int64, task: String, detail: String, at: Date) throws {
        try write("record that disk space \(low ? "ran low" : "returned") (job \(job), run \(run))") { db in
            try EventAppender.appending(in: db, store: self) { events in
                try events.append(at: at, type: low ? .diskLow : .diskOk, job: job, run: run, task: task,
                                  status: low ? "low" : "ok", detail: detail)
            }
        }
    }

    /// How the daemon decided fire time `fireTime` of `job`: whether a run for it had started by
    /// `deadline`, and whether the time was skipped or paused on purpose (not late, then).
    public func fireTimeState(job: String, fireTime: Date, deadline: Date) throws -> (startedInTime: Bool, skipped: Bool) {
        try read("read how fire time \(ISOTime.utc(fireTime)) of job \(job) went") { db in
            let started = try db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM runs WHERE job = ? AND scheduled_at = ? AND trigger IN ('schedule','catchup')
                  AND started_at IS NOT NULL AND started_at <= ?)
                """)
            let skipped = try db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM ticks WHERE job = ? AND fire_time = ? AND decision IN ('paused','skipped_overlap'))
                """)
            let time = StoreDate.databaseText(fireTime)
            return (try Bool.fetchOne(started, arguments: [job, time, StoreDate.databaseText(deadline)]) ?? false,
                    try Bool.fetchOne(skipped, arguments: [job, time]) ?? false)
        }
    }

    /// When a run of `job` last succeeded (its end), if one ever did.
    public func lastSuccess(job: String) throws -> Date? {
        try read("read when job \(job) last succeeded") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT finished_at FROM runs WHERE job = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1
                """)
            return try String.fetchOne(statement, arguments: [job]).flatMap(StoreDate.parse)
        }
    }

    static let eventColumns = Selection(table: "events", columns: [
        "id", "at", "type", "job", "run_id", "task", "attempt", "status", "detail",
    ])

    /// A row of `eventColumns`.
    func event(_ row: Row) throws -> StoredEvent {
        let r = Self.eventColumns.reader(row, location)
        return StoredEvent(
            id: try r.required(0), at: try r.date(1), type: try r.stable(2), job: try r.required(3),
            runID: try r.optional(4), task: try r.optional(5), attempt: try r.optional(6),
            status: try r.optional(7), detail: try r.optional(8))
    }
}

/// Appends events inside one write transaction; knows each run's job after asking once.
///
/// Events are gathered and written by ``flush()`` in statements of up to `batch` rows: one
/// statement of several rows costs less than as many of one (SQLite checks `type IN (...)` with
/// a table it builds once per statement), and with at most `batch` sizes of statement, each is
/// parsed once per connection (a statement for each number of rows up to 64 was parsed anew for
/// almost every transaction of a run, whose batches vary in size).
struct EventAppender {
    let db: Database
    let store: GnomonStore
    private var jobs: [Int64: String] = [:]
    private var pending: [PendingEvent] = []
    /// Rows per INSERT statement, at most.
    static let batch = 8

    private init(db: Database, store: GnomonStore) {
        self.db = db
        self.store = store
    }

    /// Lets `body` append events inside the caller's transaction, and writes them when it returns.
    static func appending<T>(in db: Database, store: GnomonStore, _ body: (inout EventAppender) throws -> T) throws -> T {
        var appender = EventAppender(db: db, store: store)
        let result = try body(&appender)
        try appender.flush()
        return result
    }

    /// Remembers the job of a run created in this transaction.
    mutating func know(run: Int64, job: String) {
        jobs[run] = job
    }

    mutating func append(
        at: Date, type: EventType, job: String, run: Int64? = nil, task: String? = nil, attempt: Int? = nil,
        status: String? = nil, detail: String? = nil
    ) throws {
        pending.append(PendingEvent(
            at: StoreDate.databaseText(at), type: type.rawValue, job: job, run: run, task: task, attempt: attempt,
            status: status, detail: detail))
        if pending.count == Self.batch { try flush() }
    }

    /// Writes the gathered events, bound straight to the statement (``RawBindings``).
    private mutating func flush() throws {
        guard !pending.isEmpty else { return }
        try RawBindings.execute(try db.cachedStatement(sql: Self.inserts[pending.count - 1])) { bindings in
            for event in pending {
                bindings.add(event.at); bindings.add(event.type); bindings.add(event.job); bindings.add(event.run)
                bindings.add(event.task); bindings.add(event.attempt); bindings.add(event.status); bindings.add(event.detail)
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// The INSERT statement of 1, 2, ... `batch` rows.
    private static let inserts = (1...batch).map { rows in
        "INSERT INTO events (at, type, job, run_id, task, attempt, status, detail) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// The events a change tells, if any (`ready` and `running` task states are told by the
    /// attempts; a runner taking a run over tells nothing).
    mutating func append(for change: StoreChange) throws {
        switch change {
        case let .runStatus(run, status, reason, at):
            guard status != .queued else { return }
            let type: EventType = status.isFinished ? .runFinished : .runStarted
            try append(at: at, type: type, job: try job(of: run), run: run, status: status.rawValue, detail: reason)
        case let .taskStatus(run, task, status, reason, retryAt, at):
            guard status != .ready && status != .running else { return }
            var detail = reason
            if status == .retrying, let retryAt {
                detail = (reason.map { $0 + "; " } ?? "") + "next attempt at \(ISOTime.utc(retryAt))"
            }
            try append(at: at, type: .taskChanged, job: try job(of: run), run: run, task: task,
                       status: status.rawValue, detail: detail)
        case let .attemptStarted(run, task, number, at, _, _, _, _, _, _):
            try append(at: at, type: .attemptStarted, job: try job(of: run), run: run, task: task, attempt: number)
        case let .attemptFinished(run, task, number, outcome, at):
            try append(at: at, type: .attemptEnded, job: try job(of: run), run: run, task: task, attempt: number,
                       status: OutcomeColumns(outcome).kind, detail: outcome.summary)
        case .runRunner, .attemptOutputs, .instancesCreated:
            return
        }
    }

    /// The job of `run`; an unknown run is the change's own error, reported by the change itself.
    private mutating func job(of run: Int64) throws -> String {
        if let known = jobs[run] { return known }
        let select = try db.cachedStatement(sql: "SELECT job FROM runs WHERE id = ?")
        guard let job = try String.fetchOne(select, arguments: [run]) else {
            throw StoreError.unknownRun(location: store.location, run: run, operation: "record an event of run \(run)")
        }
        jobs[run] = job
        return job
    }
}

/// One event waiting in ``EventAppender``, its columns as written.
private struct PendingEvent {
    let at: String
    let type: String
    let job: String
    let run: Int64?
    let task: String?
    let attempt: Int?
    let status: String?
    let detail: String?
}
