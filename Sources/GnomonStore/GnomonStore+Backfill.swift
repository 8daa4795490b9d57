import Foundation
import GnomonCore
import GRDB

extension GnomonStore {
    /// The scheduled times, from `first` through `last`, at which `job` has a succeeded run of any
    /// trigger: the fire times a backfill leaves out unless asked to run them again.
    public func succeededScheduledTimes(job: String, from first: Date, through last: Date) throws -> Set<Date> {
        try read("read the succeeded runs of \(job)") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT scheduled_at FROM runs
                WHERE job = ? AND status = 'succeeded' AND scheduled_at >= ? AND scheduled_at <= ?
                """)
            var times: Set<Date> = []
            for row in try Row.fetchAll(statement, arguments: [job, StoreDate.databaseText(first), StoreDate.databaseText(last)]) {
                let r = StoredRow(row: row, table: "runs", columns: ["scheduled_at"], location: location)
                times.insert(try r.date(0))
            }
            return times
        }
    }
}

/// Backfills: the `backfills` table and the runs each created.
extension GnomonStore {
    static let backfillColumns = Selection(table: "backfills", columns: [
        "id", "job", "range_from", "range_to", "options", "times", "created_at", "state",
    ])

    /// The unfinished backfill of `job` over the same range that `options` continues, if any: the
    /// one a repeated `gnomon backfill` command resumes.
    public func unfinishedBackfill(job: String, from: String, to: String, options: BackfillOptions) throws -> BackfillRecord? {
        try read("read the unfinished backfills of \(job)") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.backfillColumns.sql) FROM backfills
                WHERE job = ? AND range_from = ? AND range_to = ? AND state = 'running' ORDER BY id
                """)
            return try fetch(statement, [job, from, to], backfill).first { $0.options.continues(with: options) }
        }
    }

    /// Backfill `id`, or nil if there is none.
    public func backfill(_ id: Int64) throws -> BackfillRecord? {
        try read("read backfill \(id)") { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.backfillColumns.sql) FROM backfills WHERE id = ?")
            return try fetch(statement, [id], backfill).first
        }
    }

    /// The id and job of every backfill still `running`, oldest first: those the daemon drives
    /// when no live process does (read every second by the daemon, so without their fire times).
    public func unfinishedBackfills() throws -> [(id: Int64, job: String)] {
        try read("read the unfinished backfills") { db in
            let statement = try db.cachedStatement(sql: "SELECT id, job FROM backfills WHERE state = 'running' ORDER BY id")
            return try Row.fetchAll(statement).map { row in
                let r = StoredRow(row: row, table: "backfills", columns: ["id", "job"], location: location)
                return (try r.required(0), try r.required(1))
            }
        }
    }

    /// Records a new backfill, `running`, and returns it.
    public func createBackfill(
        job: String, from: String, to: String, options: BackfillOptions, times: [Date], at now: Date
    ) throws -> BackfillRecord {
        let optionsText = try encodeJSON(options, what: "the options of a backfill of \(job)")
        let timesText = try encodeJSON(times.map(StoreDate.databaseText), what: "the fire times of a backfill of \(job)")
        let id = try write("create a backfill of \(job)") { db in
            try db.execute(sql: """
                INSERT INTO backfills (job, range_from, range_to, options, times, created_at, state)
                VALUES (?, ?, ?, ?, ?, ?, 'running')
                """, arguments: [job, from, to, optionsText, timesText, StoreDate.databaseText(now)])
            return db.lastInsertedRowID
        }
        return BackfillRecord(id: id, job: job, from: from, to: to, options: options,
                              times: times.map(StoreDate.rounded), createdAt: StoreDate.rounded(now), state: .running)
    }

    /// Every run backfill `id` created, oldest scheduled time first.
    public func backfillRuns(_ id: Int64) throws -> [RunSummary] {
        try read("read the runs of backfill \(id)") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Self.runColumns.sql) FROM runs WHERE backfill_id = ? ORDER BY scheduled_at, id
                """)
            return try fetch(statement, [id], summary)
        }
    }

    /// Records that backfill `id` is over: `succeeded` or `failed`.
    public func finishBackfill(_ id: Int64, state: BackfillState, at now: Date) throws {
        try write("finish backfill \(id)") { db in
            try db.execute(sql: """
                UPDATE backfills SET state = ?, finished_at = ? WHERE id = ? AND state = 'running'
                """, arguments: [state.rawValue, state == .running ? nil : StoreDate.databaseText(now), id])
        }
    }

    private func backfill(_ row: Row) throws -> BackfillRecord {
        let r = Self.backfillColumns.reader(row, location)
        let times: [String] = try r.json(5)
        return BackfillRecord(
            id: try r.required(0), job: try r.required(1), from: try r.required(2), to: try r.required(3),
            options: try r.json(4), times: try times.map { text in
                guard let date = StoreDate.parse(text) else {
                    throw StoreError.invalidValue(location: location, operation: "read a backfill",
                                                  reason: "fire time \(text) is not a stored date")
                }
                return date
            },
            createdAt: try r.date(6), state: try r.stable(7))
    }
}
