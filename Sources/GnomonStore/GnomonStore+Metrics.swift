import Foundation
import GnomonCore
import GRDB

/// What `/metrics` reads: the totals over the whole history once, then what changed since.
extension GnomonStore {
    /// The counters and histograms over every recorded run, attempt and fire time, with the newest
    /// event id of the same snapshot: where ``metricUpdate(after:limit:)`` goes on from.
    ///
    /// A handful of aggregate queries over the whole history (about a second with 100,000 runs and
    /// 1,000,000 attempts; `scripts/bench server` measures it): the daemon runs it once, when its
    /// server starts, never per scrape.
    public func metricTotals() throws -> MetricTotals {
        try read("add up the metrics of the recorded history") { db in
            var totals = MetricTotals(eventID: try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0)
            totals.runsStarted = try counts(db, sql: """
                SELECT job, trigger, count(*) FROM runs WHERE started_at IS NOT NULL GROUP BY job, trigger
                """)
            totals.runsFinished = try counts(db, sql: """
                SELECT job, status, count(*) FROM runs WHERE finished_at IS NOT NULL GROUP BY job, status
                """)
            // Per run first (its attempts are together in the (run_id, task, number) index), then per
            // job: one lookup of the job per run instead of one per attempt.
            totals.attempts = try counts(db, sql: """
                SELECT r.job, a.outcome, sum(a.n) FROM
                  (SELECT run_id, outcome, count(*) AS n FROM attempts WHERE outcome IS NOT NULL GROUP BY run_id, outcome) AS a
                  JOIN runs AS r ON r.id = a.run_id
                GROUP BY r.job, a.outcome
                """)
            let decisions = MetricTotals.skippedDecisions.map { "'\($0.rawValue)'" }.joined(separator: ",")
            totals.skipped = try counts(db, sql: """
                SELECT job, decision, count(*) FROM ticks WHERE decision IN (\(decisions)) GROUP BY job, decision
                """)
            try forEachRow(try db.makeStatement(sql: """
                SELECT job, max(finished_at) FROM runs WHERE status = 'succeeded' GROUP BY job
                """)) { row in
                let r = StoredRow(row: row, table: "runs", columns: ["job", "finished_at"], location: location)
                totals.lastSuccess[try r.required(0)] = try r.date(1)
            }
            totals.runDurations = try histograms(
                db, bounds: MetricTotals.runDurationBounds, group: "job",
                milliseconds: "(julianday(finished_at) - julianday(started_at))",
                where: "finished_at IS NOT NULL AND started_at IS NOT NULL")
            totals.scheduleDelays = try histograms(
                db, bounds: MetricTotals.scheduleDelayBounds, group: "trigger",
                milliseconds: "(julianday(started_at) - julianday(scheduled_at))",
                where: "started_at IS NOT NULL AND trigger <> 'backfill'")
            return totals
        }
    }

    /// The events after `eventID` (at most `limit`, oldest first), the runs they start or end, and
    /// the running runs and pause overrides now, from one snapshot.
    public func metricUpdate(after eventID: Int64, limit: Int) throws -> MetricUpdate {
        try read("read what changed for the metrics since event \(eventID)") { db in
            let events = try fetch(
                try db.cachedStatement(sql: "SELECT \(Self.eventColumns.sql) FROM events WHERE id > ? ORDER BY id LIMIT ?"),
                [eventID, max(0, limit)], event)
            var update = MetricUpdate(events: events)
            let ids = Set(events.filter { $0.type == .runStarted || $0.type == .runFinished }.compactMap(\.runID))
            let columns = ["id", "trigger", "scheduled_at", "started_at", "finished_at"]
            for chunk in Array(ids).chunked(500) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let statement = try db.makeStatement(sql: "SELECT \(columns.joined(separator: ", ")) FROM runs WHERE id IN (\(marks))")
                try forEachRow(statement, StatementArguments(chunk)) { row in
                    let r = StoredRow(row: row, table: "runs", columns: columns, location: location)
                    update.runs[try r.required(0)] = RunTiming(
                        trigger: try r.required(1), scheduledAt: try r.date(2),
                        startedAt: try r.optionalDate(3), finishedAt: try r.optionalDate(4))
                }
            }
            update.running = try counts(db, sql: "SELECT job, count(*) FROM runs WHERE status = 'running' GROUP BY job")
            try forEachRow(try db.cachedStatement(sql: "SELECT job, paused FROM job_state")) { row in
                let r = StoredRow(row: row, table: "job_state", columns: ["job", "paused"], location: location)
                update.pausedOverrides[try r.required(0)] = try r.required(1)
            }
            return update
        }
    }

    /// `SELECT job, label, count`: the counts by job and label.
    private func counts(_ db: Database, sql: String) throws -> [JobLabel: Int] {
        var counts: [JobLabel: Int] = [:]
        try forEachRow(try db.makeStatement(sql: sql)) { row in
            let r = StoredRow(row: row, table: "runs", columns: ["job", "label", "count"], location: location)
            counts[JobLabel(try r.required(0), try r.required(1))] = try r.required(2)
        }
        return counts
    }

    /// `SELECT job, count`: the counts by job.
    private func counts(_ db: Database, sql: String) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try forEachRow(try db.makeStatement(sql: sql)) { row in
            let r = StoredRow(row: row, table: "runs", columns: ["job", "count"], location: location)
            counts[try r.required(0)] = try r.required(1)
        }
        return counts
    }

    /// One histogram per value of `group` over the runs matching `where`, of `milliseconds` (a
    /// difference of two julianday values, in days), rounded to whole milliseconds.
    private func histograms(
        _ db: Database, bounds: [Int64], group: String, milliseconds days: String, where condition: String
    ) throws -> [String: MillisecondHistogram] {
        let buckets = bounds.map { "sum(ms <= \($0))" }.joined(separator: ", ")
        let sql = """
            SELECT \(group), count(*), sum(ms), \(buckets) FROM
              (SELECT \(group), CAST(round(\(days) * 86400000.0) AS INTEGER) AS ms FROM runs WHERE \(condition))
            GROUP BY \(group)
            """
        var histograms: [String: MillisecondHistogram] = [:]
        let columns = [group, "count", "sum"] + bounds.map { "le \($0) ms" }
        try forEachRow(try db.makeStatement(sql: sql)) { row in
            let r = StoredRow(row: row, table: "runs", columns: columns, location: location)
            let cumulative = try bounds.indices.map { index in try r.required(3 + index, as: Int.self) }
            histograms[try r.required(0)] = MillisecondHistogram(
                bounds: bounds, cumulative: cumulative, count: try r.required(1), sum: try r.required(2))
        }
        return histograms
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
