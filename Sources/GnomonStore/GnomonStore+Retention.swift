import Foundation
import GnomonCore
import GRDB

/// Retention: finding the runs a policy may remove, removing them with everything recorded
/// about them in short transactions, sweeping the event record, and giving free pages back.
/// Which runs go is decided by GnomonCore's `Retention`; these only read and delete.
extension GnomonStore {
    /// Every job with runs or ticks recorded, in name order.
    public func jobsWithHistory() throws -> [String] {
        try read("list the jobs with a history") { db in
            // A skip-scan over each table's job index: one lookup per job, not one per row.
            let statement = try db.cachedStatement(sql: """
                WITH RECURSIVE
                  r(job) AS (SELECT min(job) FROM runs
                             UNION ALL SELECT (SELECT min(job) FROM runs WHERE job > r.job) FROM r WHERE r.job IS NOT NULL),
                  t(job) AS (SELECT min(job) FROM ticks
                             UNION ALL SELECT (SELECT min(job) FROM ticks WHERE job > t.job) FROM t WHERE t.job IS NOT NULL)
                SELECT job FROM r WHERE job IS NOT NULL UNION SELECT job FROM t WHERE job IS NOT NULL ORDER BY job
                """)
            return try String.fetchAll(statement)
        }
    }

    /// Up to `limit` of `job`'s runs after run `after`, oldest first, that may be outside a
    /// policy keeping `keepNewest` runs and none that ended before `cutoff`: those with at least
    /// `keepNewest` newer runs, and those created before `cutoff` (a run ends after it is created).
    public func retentionWindow(job: String, after: Int64, keepNewest: Int, cutoff: Date, limit: Int) throws -> RetentionWindow {
        try read("read the oldest runs of job \(job)") { db in
            let boundary = try db.cachedStatement(sql: "SELECT id FROM runs WHERE job = ? ORDER BY id DESC LIMIT 1 OFFSET ?")
            let lastOutside = try Int64.fetchOne(boundary, arguments: [job, keepNewest]) ?? 0
            let select = try db.cachedStatement(sql: """
                SELECT id, status, finished_at,
                  EXISTS (SELECT 1 FROM deliveries WHERE deliveries.run_id = runs.id AND next_try_at IS NOT NULL)
                FROM runs WHERE job = ?1 AND id > ?2 AND (id <= ?3 OR created_at < ?4) ORDER BY id LIMIT ?5
                """)
            let selection = Selection(table: "runs", columns: ["id", "status", "finished_at", "alerts pending"])
            let runs = try fetch(select, [job, after, lastOutside, StoreDate.databaseText(cutoff), max(1, limit)]) { row in
                let r = selection.reader(row, location)
                return RetainedRun(id: try r.required(0), status: try r.stable(1), finishedAt: try r.optionalDate(2),
                                   alertsPending: try r.required(3))
            }
            guard let newest = runs.last else { return RetentionWindow(runs: [], newerRuns: 0) }
            let count = try db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 FROM runs WHERE job = ? AND id > ? LIMIT ?)")
            let newer = try Int.fetchOne(count, arguments: [job, newest.id, keepNewest]) ?? 0
            return RetentionWindow(runs: runs, newerRuns: newer)
        }
    }

    /// The runs with events that a reader of the event record (the notifier) has not read yet:
    /// their alerts are not decided, so they are not pruned. Empty when no reader has ever read.
    public func runsWithUnreadEvents() throws -> Set<Int64> {
        try read("find the runs whose events are not read yet") { db in
            guard let place = try Int64.fetchOne(db, sql: "SELECT min(event_id) FROM event_cursors") else { return [] }
            let statement = try db.cachedStatement(sql: "SELECT DISTINCT run_id FROM events WHERE id > ? AND run_id IS NOT NULL")
            return Set(try Int64.fetchAll(statement, arguments: [place]))
        }
    }

    /// The log files of the attempts of `runs` (for a dry run: what pruning them would delete).
    public func logPaths(ofRuns runs: [Int64]) throws -> [String] {
        try read("read the log paths of \(runs.count) run(s)") { db in
            let select = try db.cachedStatement(sql: "SELECT log_path FROM attempts WHERE run_id = ?")
            return try runs.flatMap { try String.fetchAll(select, arguments: [$0]) }
        }
    }

    /// Deletes `runs` with their tasks, attempts, ticks, trigger requests and alerts, in one
    /// transaction, skipping any that is no longer finished or has an alert still to deliver
    /// (checked again here: a retry may have started it since it was chosen). A job's newest tick
    /// is kept, without its run, so the daemon still knows the job's last fire time.
    public func pruneRuns(_ runs: [Int64], at: Date) throws -> PrunedRuns {
        try write("prune \(runs.count) run(s)") { db in
            let eligible = try db.cachedStatement(sql: """
                SELECT 1 FROM runs WHERE id = ? AND finished_at IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM deliveries WHERE run_id = runs.id AND next_try_at IS NOT NULL)
                """)
            let logs = try db.cachedStatement(sql: "SELECT log_path FROM attempts WHERE run_id = ?")
            let keepNewestTick = try db.cachedStatement(sql: """
                UPDATE ticks SET run_id = NULL WHERE run_id = ?1
                  AND fire_time = (SELECT max(fire_time) FROM ticks AS newest WHERE newest.job = ticks.job)
                """)
            let ticks = try db.cachedStatement(sql: "DELETE FROM ticks WHERE run_id = ?")
            let triggers = try db.cachedStatement(sql: "DELETE FROM trigger_requests WHERE run_id = ?")
            let deliveries = try db.cachedStatement(sql: "DELETE FROM deliveries WHERE run_id = ?")
            let delete = try db.cachedStatement(sql: "DELETE FROM runs WHERE id = ?")
            var pruned = PrunedRuns()
            for run in runs {
                guard try Bool.fetchOne(eligible, arguments: [run]) == true else { continue }
                let paths = try String.fetchAll(logs, arguments: [run])
                try keepNewestTick.execute(arguments: [run])
                try ticks.execute(arguments: [run])
                pruned.ticks += db.changesCount
                try triggers.execute(arguments: [run])
                try deliveries.execute(arguments: [run])
                pruned.deliveries += db.changesCount
                // Its tasks and attempts go with it (ON DELETE CASCADE).
                try delete.execute(arguments: [run])
                pruned.runs.append(run)
                pruned.attempts += paths.count
                pruned.logPaths += paths
            }
            if !pruned.runs.isEmpty {
                try db.cachedStatement(sql: """
                    UPDATE retention SET runs_pruned = runs_pruned + ?, attempts_pruned = attempts_pruned + ?, last_pruned_at = ?
                    WHERE id = 1
                    """).execute(arguments: [pruned.runs.count, pruned.attempts, StoreDate.databaseText(at)])
            }
            return pruned
        }
    }

    /// Deletes up to `limit` of `job`'s ticks that have no run and a fire time before `cutoff`,
    /// never its newest tick; returns how many.
    public func pruneTicks(job: String, before cutoff: Date, limit: Int) throws -> Int {
        try write("prune the old ticks of job \(job)") { db in
            try db.cachedStatement(sql: """
                DELETE FROM ticks WHERE id IN (
                  SELECT id FROM ticks WHERE job = ?1 AND fire_time < ?2 AND run_id IS NULL
                    AND fire_time < (SELECT max(fire_time) FROM ticks WHERE job = ?1)
                  LIMIT ?3)
                """).execute(arguments: [job, StoreDate.databaseText(cutoff), max(1, limit)])
            return db.changesCount
        }
    }

    /// Deletes up to `limit` alerts about no run (a missed fire time, a silent or late job, an
    /// invalid file) that were delivered or given up and queued before `cutoff`; returns how many.
    public func pruneRunlessDeliveries(before cutoff: Date, limit: Int) throws -> Int {
        try write("prune the old alerts") { db in
            try db.cachedStatement(sql: """
                DELETE FROM deliveries WHERE id IN (
                  SELECT id FROM deliveries WHERE run_id IS NULL AND next_try_at IS NULL AND queued_at < ? LIMIT ?)
                """).execute(arguments: [StoreDate.databaseText(cutoff), max(1, limit)])
            return db.changesCount
        }
    }

    /// The range of the event record a sweep may look at: from its oldest event to the highest
    /// id every reader has read, and never the newest event (an event's id is one more than the
    /// highest in the table, so keeping the newest keeps ids growing). `nil` when there is none.
    public func sweepableEvents() throws -> ClosedRange<Int64>? {
        try read("read the range of the event record") { db in
            guard let lowest = try Int64.fetchOne(db, sql: "SELECT min(id) FROM events"),
                  let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") else { return nil }
            var limit = newest - 1
            if let read = try Int64.fetchOne(db, sql: "SELECT min(event_id) FROM event_cursors") { limit = min(limit, read) }
            return lowest <= limit ? lowest...limit : nil
        }
    }

    /// Looks at up to `rows` events from id `from` up to `limit`, and deletes those about a run no
    /// longer recorded, or about no run and older than `cutoff`, in one transaction.
    /// - Returns: how many were deleted, and the id to go on from (`nil` once `limit` is reached).
    public func sweepEvents(from: Int64, rows: Int, limit: Int64, before cutoff: Date) throws -> (deleted: Int, next: Int64?) {
        try write("prune the events from id \(from)") { db in
            let end = try db.cachedStatement(sql: "SELECT id FROM events WHERE id >= ? AND id <= ? ORDER BY id LIMIT 1 OFFSET ?")
            let last = try Int64.fetchOne(end, arguments: [from, limit, max(1, rows) - 1]) ?? limit
            try db.cachedStatement(sql: """
                DELETE FROM events WHERE id BETWEEN ?1 AND ?2 AND CASE WHEN run_id IS NULL THEN at < ?3
                  ELSE NOT EXISTS (SELECT 1 FROM runs WHERE runs.id = events.run_id) END
                """).execute(arguments: [from, last, StoreDate.databaseText(cutoff)])
            return (db.changesCount, last >= limit ? nil : last + 1)
        }
    }

    /// What is known of run `id` if retention removed it: `nil` when it was never recorded (its
    /// id is above every id given so far) or nothing has been pruned.
    ///
    /// No tombstone per run is kept (that would grow without bound, like the history itself):
    /// run ids only grow (AUTOINCREMENT), runs are deleted only by pruning, so an id at or below
    /// the highest ever given whose run is missing was pruned.
    public func prunedRun(_ id: Int64) throws -> PrunedRunNote? {
        try read("look up whether run \(id) was pruned") { db in
            guard id >= 1,
                  let highest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'runs'"), id <= highest,
                  try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?)", arguments: [id]) == false,
                  let row = try Row.fetchOne(db, sql: "SELECT runs_pruned, last_pruned_at FROM retention WHERE id = 1")
            else { return nil }
            let pruned: Int = row[0]
            guard pruned > 0 else { return nil }
            return PrunedRunNote(runsPruned: pruned, lastPrunedAt: (row[1] as String?).flatMap(StoreDate.parse))
        }
    }

    /// The database's size and free space.
    public func storageFigures() throws -> StorageFigures {
        try read("read the database's size") { db in
            StorageFigures(
                pageSize: try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096,
                pages: try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0,
                freePages: try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0,
                incrementalVacuum: try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") == 2)
        }
    }

    /// Gives up to `pages` free pages back to the file system (the file shrinks) in one short
    /// transaction; does nothing unless the file is in incremental-vacuum mode.
    /// - Returns: how many pages were given back.
    @discardableResult
    public func reclaimFreePages(_ pages: Int) throws -> Int {
        try write("give free pages back to the file system") { db in
            guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") == 2 else { return 0 }
            let before = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA incremental_vacuum(\(max(1, pages)))")
            return before - (try Int.fetchOne(db, sql: "PRAGMA page_count") ?? before)
        }
    }

    /// Rewrites the whole file once in incremental-vacuum mode (a file made before Gnomon chose
    /// that mode), giving back every free page; the write lock is held the whole time.
    public func vacuumIntoIncrementalMode() throws {
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                try db.execute(sql: "VACUUM")
                // The rewrite went through the WAL; give its space back too.
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw StoreError.wrap(error, location: location, operation: "vacuum the database")
        }
    }
}
