import Foundation
import GnomonCore
import GRDB

/// What the daemon remembers about each job between starts, and the cheap checks it polls.
extension GnomonStore {
    /// One job as the daemon last scheduled it.
    public struct DaemonJob: Sendable, Hashable {
        public var job: String
        /// The last valid definition the daemon scheduled.
        public var definition: JobSpec
        /// The schedule's identity (`ScheduleSpec`'s expression and zone) when it was recorded.
        public var schedule: String?
        /// Since when the daemon has watched this schedule: catch-up never goes back before it.
        public var since: Date

        public init(job: String, definition: JobSpec, schedule: String?, since: Date) {
            self.job = job
            self.definition = definition
            self.schedule = schedule
            self.since = since
        }
    }

    /// Every job the daemon remembers, by name.
    public func daemonJobs() throws -> [String: DaemonJob] {
        try read("read the daemon's jobs") { db in
            var jobs: [String: DaemonJob] = [:]
            let statement = try db.cachedStatement(sql: "SELECT job, definition, schedule, since FROM daemon_jobs")
            for row in try Row.fetchAll(statement) {
                let r = StoredRow(row: row, table: "daemon_jobs", columns: ["job", "definition", "schedule", "since"], location: location)
                let name: String = try r.required(0)
                jobs[name] = DaemonJob(
                    job: name, definition: try r.json(1), schedule: try r.optional(2),
                    since: try r.date(3))
            }
            return jobs
        }
    }

    /// Records (or replaces) what the daemon remembers of a job.
    public func saveDaemonJob(_ job: DaemonJob, at: Date) throws {
        let definition = try encodeJSON(job.definition, what: "the definition of job \(job.job)")
        try write("remember job \(job.job)") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO daemon_jobs (job, definition, schedule, since, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (job) DO UPDATE SET definition = excluded.definition, schedule = excluded.schedule,
                  since = excluded.since, updated_at = excluded.updated_at
                """)
            try statement.execute(arguments: [
                job.job, definition, job.schedule, StoreDate.databaseText(job.since), StoreDate.databaseText(at),
            ])
        }
    }

    /// Forgets a job whose file was removed: if it comes back, it starts afresh.
    public func forgetDaemonJob(_ job: String) throws {
        try write("forget job \(job)") { db in
            try db.cachedStatement(sql: "DELETE FROM daemon_jobs WHERE job = ?").execute(arguments: [job])
        }
    }

    /// The latest scheduled time of a `schedule` or `catchup` run of each job: a fire time that got
    /// its run just before a crash, before its tick was recorded, counts as decided.
    public func lastScheduledRunTimes() throws -> [String: Date] {
        try read("read the last scheduled run times") { db in
            var times: [String: Date] = [:]
            let statement = try db.cachedStatement(sql: """
                SELECT job, max(scheduled_at) AS scheduled_at FROM runs
                WHERE trigger IN ('schedule','catchup') GROUP BY job
                """)
            for row in try Row.fetchAll(statement) {
                let r = StoredRow(row: row, table: "runs", columns: ["job", "scheduled_at"], location: location)
                times[try r.required(0)] = try r.date(1)
            }
            return times
        }
    }

    /// Whether any trigger request waits to be claimed: the daemon's fallback poll (a read, no lock).
    public func hasUnclaimedTriggerRequests() throws -> Bool {
        try read("look for trigger requests") { db in
            try Bool.fetchOne(
                try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM trigger_requests WHERE claimed_at IS NULL)")
            ) ?? false
        }
    }

    /// Puts back requests that a dead daemon claimed but neither answered nor refused, so the next
    /// daemon claims them again; returns how many. Call only while holding the daemon lock.
    @discardableResult
    public func releaseAbandonedTriggerRequests() throws -> Int {
        try write("release abandoned trigger requests") { db in
            try db.cachedStatement(sql: """
                UPDATE trigger_requests SET claimed_at = NULL
                WHERE claimed_at IS NOT NULL AND run_id IS NULL AND reason IS NULL
                """).execute()
            return db.changesCount
        }
    }
}
