import GRDB

/// The database schema as named, append-only migrations.
///
/// Never edit a migration that has shipped: add a new one (`v2-…`). Dates are fixed-width UTC text
/// (`2024-05-01T12:00:00.000Z`, see `StoreDate`), enums their stable raw strings, JSON columns text.
enum StoreSchema {
    /// Every status a run may have (RunStatus raw values).
    static let runStatuses = "'queued','running','succeeded','failed','cancelled'"
    /// Every status a task may have (TaskStatus raw values).
    static let taskStatuses = "'waiting','ready','running','retrying','succeeded','failed','skipped','cancelled'"
    /// The kinds of attempt outcome `v1-runs` allowed (AttemptOutcome.kind).
    static let outcomeKinds =
        "'exited','signalled','timed_out','cancelled','could_not_start','lost','interrupted','out_of_memory'"
    /// Every kind an attempt outcome may have since `v6-outputs` (AttemptOutcome.kind).
    static let outcomeKindsWithOutputs = outcomeKinds + ",'output_refused'"
    /// Every decision a tick may record (TickDecision raw values).
    static let tickDecisions =
        "'started','caught_up','queued','replaced','skipped_overlap','paused','missed','dropped','duplicate','error'"

    /// The migrator holding every migration, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-runs", migrate: createRuns)
        migrator.registerMigration("v1-daemon", migrate: createDaemonTables)
        migrator.registerMigration("v2-daemon-jobs", migrate: createDaemonJobs)
        migrator.registerMigration("v3-events", migrate: createEvents)
        migrator.registerMigration("v4-deliveries", migrate: createDeliveries)
        migrator.registerMigration("v5-event-types", migrate: widenEventTypes)
        migrator.registerMigration("v5-trigger-tasks", migrate: addTriggerTasks)
        migrator.registerMigration("v5-retention", migrate: createRetention)
        migrator.registerMigration("v5-retry-requests", migrate: addRetryRequests)
        migrator.registerMigration("v6-outputs", migrate: addAttemptOutputs)
        migrator.registerMigration("v6-disk-events", migrate: addDiskEventTypes)
        migrator.registerMigration("v6-slurm-reference", migrate: addSlurmJobs)
        migrator.registerMigration("v7-foreach", migrate: addForeachInstances)
        migrator.registerMigration("v7-backfill", migrate: addBackfills)
        migrator.registerMigration("v8-plain-checks", migrate: plainChecks)
        migrator.registerMigration("v9-run-snapshots", migrate: separateSnapshots)
        return migrator
    }

    /// Runs, their tasks and the attempts of each task.
    private static func createRuns(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE runs (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              job TEXT NOT NULL CHECK (job <> ''),
              trigger TEXT NOT NULL CHECK (trigger IN ('schedule','catchup','manual')),
              scheduled_at TEXT NOT NULL,
              created_at TEXT NOT NULL,
              started_at TEXT,
              finished_at TEXT,
              status TEXT NOT NULL CHECK (status IN (\(runStatuses))),
              reason TEXT,
              params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
              job_snapshot TEXT NOT NULL CHECK (json_valid(job_snapshot)),
              runner_pid INTEGER NOT NULL,
              runner_instance TEXT NOT NULL CHECK (runner_instance <> ''),
              cancel_requested_at TEXT,
              cancel_reason TEXT,
              CHECK ((finished_at IS NULL) = (status IN ('queued','running'))),
              CHECK ((cancel_requested_at IS NULL) = (cancel_reason IS NULL))
            );
            -- A scheduled time can never have two runs, even after a crash or with two daemons.
            CREATE UNIQUE INDEX runs_scheduled_once ON runs(job, scheduled_at)
              WHERE trigger IN ('schedule','catchup');
            CREATE INDEX runs_by_job ON runs(job, id DESC);
            CREATE INDEX runs_by_created ON runs(created_at);
            CREATE INDEX runs_by_status ON runs(status, id);

            CREATE TABLE run_tasks (
              run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
              task TEXT NOT NULL CHECK (task <> ''),
              position INTEGER NOT NULL,
              status TEXT NOT NULL CHECK (status IN (\(taskStatuses))),
              reason TEXT,
              retry_at TEXT,
              attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
              updated_at TEXT NOT NULL,
              PRIMARY KEY (run_id, task)
            ) WITHOUT ROWID;

            CREATE TABLE attempts (
              id INTEGER PRIMARY KEY,
              run_id INTEGER NOT NULL,
              task TEXT NOT NULL,
              number INTEGER NOT NULL CHECK (number >= 1),
              started_at TEXT NOT NULL,
              ended_at TEXT,
              pid INTEGER,
              pgid INTEGER,
              container_name TEXT,
              log_path TEXT NOT NULL,
              outcome TEXT CHECK (outcome IN (\(outcomeKinds))),
              exit_code INTEGER,
              signal INTEGER,
              reason TEXT,
              runner_instance TEXT NOT NULL CHECK (runner_instance <> ''),
              FOREIGN KEY (run_id, task) REFERENCES run_tasks(run_id, task) ON DELETE CASCADE,
              UNIQUE (run_id, task, number),
              CHECK ((outcome IS NULL) = (ended_at IS NULL)),
              CHECK ((coalesce(outcome, '') = 'exited') = (exit_code IS NOT NULL)),
              CHECK ((coalesce(outcome, '') = 'signalled') = (signal IS NOT NULL)),
              CHECK ((coalesce(outcome, '') = 'could_not_start') = (reason IS NOT NULL))
            );
            """)
    }

    /// What the daemon keeps: pause overrides, every fire time it considered, manual run requests.
    private static func createDaemonTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE job_state (
              job TEXT PRIMARY KEY NOT NULL CHECK (job <> ''),
              paused INTEGER NOT NULL CHECK (paused IN (0, 1)),
              updated_at TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE ticks (
              id INTEGER PRIMARY KEY,
              job TEXT NOT NULL CHECK (job <> ''),
              fire_time TEXT NOT NULL,
              decided_at TEXT NOT NULL,
              decision TEXT NOT NULL CHECK (decision IN (\(tickDecisions))),
              run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
              detail TEXT,
              UNIQUE (job, fire_time, decision)
            );
            CREATE INDEX ticks_by_job ON ticks(job, fire_time DESC, id DESC);

            CREATE TABLE trigger_requests (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              job TEXT NOT NULL CHECK (job <> ''),
              params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
              requested_at TEXT NOT NULL,
              claimed_at TEXT,
              run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
              reason TEXT,
              CHECK (run_id IS NULL OR claimed_at IS NOT NULL),
              CHECK (reason IS NULL OR claimed_at IS NOT NULL)
            );
            CREATE INDEX trigger_requests_unclaimed ON trigger_requests(id) WHERE claimed_at IS NULL;
            """)
    }

    /// The daemon's memory of each job: the last valid definition it scheduled (kept while the
    /// file is invalid) and since when it has watched the current schedule (where catch-up starts
    /// for a job with no tick yet; a changed schedule starts again from the change).
    private static func createDaemonJobs(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE daemon_jobs (
              job TEXT PRIMARY KEY NOT NULL CHECK (job <> ''),
              definition TEXT NOT NULL CHECK (json_valid(definition)),
              schedule TEXT,
              since TEXT NOT NULL,
              updated_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """)
    }

    /// Every event type (EventType raw values).
    static let eventTypes = "'run_created','run_started','run_finished','task_changed','attempt_started',"
        + "'attempt_ended','fire_time','job_invalid','job_valid','job_silent','job_late','disk_low','disk_ok'"

    /// The durable event record, and each job file's validity (whose changes are events).
    ///
    /// An event's id is the next after the highest in the table, so ids only grow as long as the
    /// newest event is kept: whatever prunes the record deletes the oldest ids and never the
    /// newest. No index and no foreign key: each costs a page more in every transaction that
    /// tells something (about 10 µs each on the engine's path), readers go forward from an id,
    /// and pruning deletes ranges of ids; events outlive their run's rows until they are pruned.
    private static func createEvents(_ db: Database) throws {
        try db.execute(sql: eventsTable("events") + """

            CREATE TABLE job_files (
              job TEXT PRIMARY KEY NOT NULL CHECK (job <> ''),
              valid INTEGER NOT NULL CHECK (valid IN (0, 1)),
              problem TEXT,
              updated_at TEXT NOT NULL,
              CHECK ((valid = 1) = (problem IS NULL))
            ) WITHOUT ROWID;
            """)
    }

    /// The events table's definition under `name`, with every event type of this version.
    private static func eventsTable(_ name: String) -> String {
        """
            CREATE TABLE \(name) (
              id INTEGER PRIMARY KEY,
              at TEXT NOT NULL,
              type TEXT NOT NULL CHECK (type IN (\(eventTypes))),
              job TEXT NOT NULL CHECK (job <> ''),
              run_id INTEGER,
              task TEXT,
              attempt INTEGER CHECK (attempt IS NULL OR attempt >= 1),
              status TEXT,
              detail TEXT
            );
            """
    }

    /// The events table of a database made while `v3-events` listed fewer event types
    /// (`job_silent` and `job_late` came later, written into that migration): rebuilt with every
    /// type, its rows kept. A table that lists them already is left as it is.
    private static func widenEventTypes(_ db: Database) throws {
        let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events'") ?? ""
        guard !definition.contains("'job_late'") || !definition.contains("'job_silent'") else { return }
        try db.execute(sql: eventsTable("events_widened") + """
            INSERT INTO events_widened SELECT id, at, type, job, run_id, task, attempt, status, detail FROM events;
            DROP TABLE events;
            ALTER TABLE events_widened RENAME TO events;
            """)
    }

    /// The events table of a database made before `disk_low` and `disk_ok` existed (they are
    /// written into `v3-events` for new databases): rebuilt with every type, its rows kept, as
    /// `v5-event-types` does. A table that lists them already is left as it is. The copy takes
    /// about a second per million events, once.
    private static func addDiskEventTypes(_ db: Database) throws {
        let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events'") ?? ""
        guard !definition.contains("'disk_low'") || !definition.contains("'disk_ok'") else { return }
        try db.execute(sql: eventsTable("events_widened") + """
            INSERT INTO events_widened SELECT id, at, type, job, run_id, task, attempt, status, detail FROM events;
            DROP TABLE events;
            ALTER TABLE events_widened RENAME TO events;
            """)
    }

    /// Alerts to deliver and how each delivery went; where each reader of the event record stands;
    /// what the notifier remembers of each job (its failure streak, who was told).
    ///
    /// A delivery is unique per event, channel and kind, so reading an event twice (after a
    /// crash, or by a foreground runner and a daemon) queues it once. Its payload is fixed when it
    /// is queued: every try sends the same bytes. `claimed_by`/`claimed_until` let one process at
    /// a time try it.
    /// A trigger request may name the tasks to run (`gnomon trigger --task`, the API's `tasks`):
    /// a JSON list, NULL for every task.
    private static func addTriggerTasks(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE trigger_requests ADD COLUMN tasks TEXT CHECK (tasks IS NULL OR json_valid(tasks));
            """)
    }

    /// A request may ask the daemon to retry a failed or cancelled run (`POST
    /// /api/v1/runs/{id}/retry`) instead of creating one: `retry_of` names the run, and `run_id`
    /// is set to the same run in the transaction that reopens it.
    private static func addRetryRequests(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE trigger_requests ADD COLUMN retry_of INTEGER REFERENCES runs(id) ON DELETE CASCADE;
            """)
    }

    /// An attempt that ran as a Slurm job records the job's id in `slurm_job_id` ('' while it is
    /// not known: an attempt recorded by recovery, whose job is found by its token). Earlier
    /// versions kept it in `container_name` as `slurm:ID`: those values move.
    private static func addSlurmJobs(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE attempts ADD COLUMN slurm_job_id TEXT;
            UPDATE attempts SET slurm_job_id = substr(container_name, 7), container_name = NULL
              WHERE container_name LIKE 'slurm:%';
            """)
    }

    private static func createDeliveries(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE event_cursors (
              reader TEXT PRIMARY KEY NOT NULL CHECK (reader <> ''),
              event_id INTEGER NOT NULL CHECK (event_id >= 0),
              updated_at TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE deliveries (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              event_id INTEGER NOT NULL,
              channel TEXT NOT NULL CHECK (channel <> ''),
              kind TEXT NOT NULL CHECK (kind <> ''),
              job TEXT NOT NULL CHECK (job <> ''),
              run_id INTEGER,
              payload TEXT NOT NULL CHECK (json_valid(payload)),
              queued_at TEXT NOT NULL,
              tries INTEGER NOT NULL DEFAULT 0 CHECK (tries >= 0),
              next_try_at TEXT,
              claimed_by TEXT,
              claimed_until TEXT,
              last_error TEXT,
              answer TEXT,
              delivered_at TEXT,
              given_up_at TEXT,
              UNIQUE (event_id, channel, kind),
              CHECK (delivered_at IS NULL OR given_up_at IS NULL),
              CHECK ((next_try_at IS NULL) = (delivered_at IS NOT NULL OR given_up_at IS NOT NULL))
            );
            CREATE INDEX deliveries_due ON deliveries(next_try_at) WHERE next_try_at IS NOT NULL;
            CREATE INDEX deliveries_by_job ON deliveries(job, id);

            CREATE TABLE alert_memory (
              job TEXT PRIMARY KEY NOT NULL CHECK (job <> ''),
              memory TEXT NOT NULL CHECK (json_valid(memory)),
              updated_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """)
    }

    /// What retention needs: an index on every column that points at a run, so deleting a run
    /// finds its ticks, trigger requests and deliveries without reading those tables whole (a
    /// foreign key with no index scans its table once per deleted row); and one row of what
    /// pruning has removed so far, which tells `show` that a missing run was pruned.
    private static func createRetention(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX ticks_by_run ON ticks(run_id) WHERE run_id IS NOT NULL;
            CREATE INDEX trigger_requests_by_run ON trigger_requests(run_id) WHERE run_id IS NOT NULL;
            CREATE INDEX deliveries_by_run ON deliveries(run_id) WHERE run_id IS NOT NULL;

            CREATE TABLE retention (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              runs_pruned INTEGER NOT NULL DEFAULT 0 CHECK (runs_pruned >= 0),
              attempts_pruned INTEGER NOT NULL DEFAULT 0 CHECK (attempts_pruned >= 0),
              last_pruned_at TEXT
            );
            INSERT INTO retention (id) VALUES (1);
            """)
    }
}
