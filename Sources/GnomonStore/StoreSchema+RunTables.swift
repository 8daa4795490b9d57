import GRDB

/// The v6 and v7 migrations that rebuild or extend the run tables: attempts' outputs
/// (`v6-outputs`), foreach instances (`v7-foreach`) and backfills (`v7-backfill`). Frozen, like
/// every shipped migration: a change is a new migration.
extension StoreSchema {
    /// The outputs an attempt published (`GNOMON_OUTPUT`), and the outcome of an attempt whose
    /// output file was refused (`output_refused`, with its reason). SQLite cannot change a CHECK
    /// constraint, so the attempts table is rebuilt with every row kept: outputs are a JSON
    /// object of strings, only on an attempt that exited 0 (a failed attempt publishes nothing).
    static func addAttemptOutputs(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE attempts_with_outputs (
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
              outcome TEXT CHECK (outcome IN (\(outcomeKindsWithOutputs))),
              exit_code INTEGER,
              signal INTEGER,
              reason TEXT,
              runner_instance TEXT NOT NULL CHECK (runner_instance <> ''),
              outputs TEXT CHECK (outputs IS NULL OR (json_valid(outputs) AND json_type(outputs) = 'object'
                AND outcome = 'exited' AND exit_code = 0)),
              FOREIGN KEY (run_id, task) REFERENCES run_tasks(run_id, task) ON DELETE CASCADE,
              UNIQUE (run_id, task, number),
              CHECK ((outcome IS NULL) = (ended_at IS NULL)),
              CHECK ((coalesce(outcome, '') = 'exited') = (exit_code IS NOT NULL)),
              CHECK ((coalesce(outcome, '') = 'signalled') = (signal IS NOT NULL)),
              CHECK ((coalesce(outcome, '') IN ('could_not_start','output_refused')) = (reason IS NOT NULL))
            );
            INSERT INTO attempts_with_outputs (id, run_id, task, number, started_at, ended_at, pid, pgid,
              container_name, log_path, outcome, exit_code, signal, reason, runner_instance)
            SELECT id, run_id, task, number, started_at, ended_at, pid, pgid,
              container_name, log_path, outcome, exit_code, signal, reason, runner_instance FROM attempts;
            DROP TABLE attempts;
            ALTER TABLE attempts_with_outputs RENAME TO attempts;
            """)
    }

    /// The instances of foreach tasks: rows of `run_tasks` named `task[index]` that say which
    /// task they are an instance of, their index and their item. An instance is recorded once
    /// (the primary key and the unique index), before it starts.
    static func addForeachInstances(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE run_tasks ADD COLUMN instance_of TEXT CHECK (instance_of IS NULL OR instance_of <> '');
            ALTER TABLE run_tasks ADD COLUMN item_index INTEGER
              CHECK ((item_index IS NULL) = (instance_of IS NULL) AND (item_index IS NULL OR item_index >= 0));
            ALTER TABLE run_tasks ADD COLUMN item TEXT CHECK ((item IS NULL) = (instance_of IS NULL));
            CREATE UNIQUE INDEX run_tasks_instances ON run_tasks(run_id, instance_of, item_index)
              WHERE instance_of IS NOT NULL;
            """)
    }

    /// Backfills (`gnomon backfill`): each records its job, range, options, the fire times it
    /// planned and its state; a run it created names it in `backfill_id`, and UNIQUE(backfill_id,
    /// scheduled_at) means one backfill never creates two runs for one fire time, even when it is
    /// resumed after a crash. SQLite cannot change a CHECK constraint, so the runs table is rebuilt
    /// to allow trigger `backfill`, every row and index kept (as `v6-outputs` rebuilt attempts; the
    /// migrator turns foreign keys off while it runs, so rows pointing at runs stay).
    static func addBackfills(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE backfills (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              job TEXT NOT NULL CHECK (job <> ''),
              range_from TEXT NOT NULL,
              range_to TEXT NOT NULL,
              options TEXT NOT NULL CHECK (json_valid(options) AND json_type(options) = 'object'),
              times TEXT NOT NULL CHECK (json_valid(times) AND json_type(times) = 'array'),
              created_at TEXT NOT NULL,
              finished_at TEXT,
              state TEXT NOT NULL CHECK (state IN ('running','succeeded','failed')),
              CHECK ((finished_at IS NULL) = (state = 'running'))
            );
            CREATE INDEX backfills_unfinished ON backfills(job, id) WHERE state = 'running';

            CREATE TABLE runs_with_backfills (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              job TEXT NOT NULL CHECK (job <> ''),
              trigger TEXT NOT NULL CHECK (trigger IN ('schedule','catchup','manual','backfill')),
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
              backfill_id INTEGER REFERENCES backfills(id) ON DELETE SET NULL,
              CHECK ((finished_at IS NULL) = (status IN ('queued','running'))),
              CHECK ((cancel_requested_at IS NULL) = (cancel_reason IS NULL)),
              CHECK ((backfill_id IS NULL) OR (trigger = 'backfill')),
              UNIQUE (backfill_id, scheduled_at)
            );
            INSERT INTO runs_with_backfills (id, job, trigger, scheduled_at, created_at, started_at, finished_at,
              status, reason, params, job_snapshot, runner_pid, runner_instance, cancel_requested_at, cancel_reason)
            SELECT id, job, trigger, scheduled_at, created_at, started_at, finished_at,
              status, reason, params, job_snapshot, runner_pid, runner_instance, cancel_requested_at, cancel_reason FROM runs;
            -- AUTOINCREMENT: ids of runs deleted by retention are never given again.
            DELETE FROM sqlite_sequence WHERE name = 'runs_with_backfills';
            INSERT INTO sqlite_sequence (name, seq) SELECT 'runs_with_backfills', seq FROM sqlite_sequence WHERE name = 'runs';
            DROP TABLE runs;
            ALTER TABLE runs_with_backfills RENAME TO runs;
            CREATE UNIQUE INDEX runs_scheduled_once ON runs(job, scheduled_at)
              WHERE trigger IN ('schedule','catchup');
            CREATE INDEX runs_by_job ON runs(job, id DESC);
            CREATE INDEX runs_by_created ON runs(created_at);
            CREATE INDEX runs_by_status ON runs(status, id);
            """)
    }
}
