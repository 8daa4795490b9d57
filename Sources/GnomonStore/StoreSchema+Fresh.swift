import GRDB

extension StoreSchema {
    /// Creates the schema of a new, empty database at once: one script, in one transaction, with
    /// every migration then recorded as applied. Running the migrations one by one on a new
    /// database wrote a transaction each and rebuilt tables several times (about 30 ms of CPU
    /// and 60 ms in all, for every new home: a test's, a container's, a first run's).
    ///
    /// `freshSchema` is what the migrations leave, as SQLite keeps it (`sqlite_master`), and
    /// `freshRows` the rows they write: `FreshSchemaTests` checks that the two agree, every table's
    /// rows included, and prints the script to paste here when a new migration changes it.
    static func createFresh(_ db: Database) throws {
        try db.execute(sql: freshSchema)
        try db.execute(sql: freshRows)
        let record = try db.makeStatement(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)")
        for identifier in migrator.migrations {
            try record.execute(arguments: [identifier])
        }
    }

    /// The rows the migrations write into a new database: `retention`'s one row (`v5-retention`).
    static let freshRows = "INSERT INTO retention (id) VALUES (1);"

    /// Every table and index the migrations make, in the order SQLite lists them.
    static let freshSchema = """
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        CREATE TABLE run_tasks (
          run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          task TEXT NOT NULL CHECK (task <> ''),
          position INTEGER NOT NULL,
          status TEXT NOT NULL CHECK ((status = 'waiting' OR status = 'ready' OR status = 'running' OR status = 'retrying' OR status = 'succeeded' OR status = 'failed' OR status = 'skipped' OR status = 'cancelled')),
          reason TEXT,
          retry_at TEXT,
          attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
          updated_at TEXT NOT NULL, instance_of TEXT CHECK (instance_of IS NULL OR instance_of <> ''), item_index INTEGER
          CHECK ((item_index IS NULL) = (instance_of IS NULL) AND (item_index IS NULL OR item_index >= 0)), item TEXT CHECK ((item IS NULL) = (instance_of IS NULL)),
          PRIMARY KEY (run_id, task)
        ) WITHOUT ROWID;
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
          decision TEXT NOT NULL CHECK ((decision = 'started' OR decision = 'caught_up' OR decision = 'queued' OR decision = 'replaced' OR decision = 'skipped_overlap' OR decision = 'paused' OR decision = 'missed' OR decision = 'dropped' OR decision = 'duplicate' OR decision = 'error')),
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
          reason TEXT, tasks TEXT CHECK (tasks IS NULL OR json_valid(tasks)), retry_of INTEGER REFERENCES runs(id) ON DELETE CASCADE,
          CHECK (run_id IS NULL OR claimed_at IS NOT NULL),
          CHECK (reason IS NULL OR claimed_at IS NOT NULL)
        );
        CREATE INDEX trigger_requests_unclaimed ON trigger_requests(id) WHERE claimed_at IS NULL;
        CREATE TABLE daemon_jobs (
          job TEXT PRIMARY KEY NOT NULL CHECK (job <> ''),
          definition TEXT NOT NULL CHECK (json_valid(definition)),
          schedule TEXT,
          since TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE events (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          type TEXT NOT NULL CHECK ((type = 'run_created' OR type = 'run_started' OR type = 'run_finished' OR type = 'task_changed' OR type = 'attempt_started' OR type = 'attempt_ended' OR type = 'fire_time' OR type = 'job_invalid' OR type = 'job_valid' OR type = 'job_silent' OR type = 'job_late' OR type = 'disk_low' OR type = 'disk_ok')),
          job TEXT NOT NULL CHECK (job <> ''),
          run_id INTEGER,
          task TEXT,
          attempt INTEGER CHECK (attempt IS NULL OR attempt >= 1),
          status TEXT,
          detail TEXT
        );
        CREATE TABLE job_files (
          job TEXT PRIMARY KEY NOT NULL CHECK (job <> ''),
          valid INTEGER NOT NULL CHECK (valid IN (0, 1)),
          problem TEXT,
          updated_at TEXT NOT NULL,
          CHECK ((valid = 1) = (problem IS NULL))
        ) WITHOUT ROWID;
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
        CREATE INDEX ticks_by_run ON ticks(run_id) WHERE run_id IS NOT NULL;
        CREATE INDEX trigger_requests_by_run ON trigger_requests(run_id) WHERE run_id IS NOT NULL;
        CREATE INDEX deliveries_by_run ON deliveries(run_id) WHERE run_id IS NOT NULL;
        CREATE TABLE retention (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          runs_pruned INTEGER NOT NULL DEFAULT 0 CHECK (runs_pruned >= 0),
          attempts_pruned INTEGER NOT NULL DEFAULT 0 CHECK (attempts_pruned >= 0),
          last_pruned_at TEXT
        );
        CREATE TABLE "attempts" (
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
          outcome TEXT CHECK ((outcome = 'exited' OR outcome = 'signalled' OR outcome = 'timed_out' OR outcome = 'cancelled' OR outcome = 'could_not_start' OR outcome = 'lost' OR outcome = 'interrupted' OR outcome = 'out_of_memory' OR outcome = 'output_refused')),
          exit_code INTEGER,
          signal INTEGER,
          reason TEXT,
          runner_instance TEXT NOT NULL CHECK (runner_instance <> ''),
          outputs TEXT CHECK (outputs IS NULL OR (json_valid(outputs) AND json_type(outputs) = 'object'
            AND outcome = 'exited' AND exit_code = 0)), slurm_job_id TEXT,
          FOREIGN KEY (run_id, task) REFERENCES run_tasks(run_id, task) ON DELETE CASCADE,
          UNIQUE (run_id, task, number),
          CHECK ((outcome IS NULL) = (ended_at IS NULL)),
          CHECK ((coalesce(outcome, '') = 'exited') = (exit_code IS NOT NULL)),
          CHECK ((coalesce(outcome, '') = 'signalled') = (signal IS NOT NULL)),
          CHECK ((coalesce(outcome, '') IN ('could_not_start','output_refused')) = (reason IS NOT NULL))
        );
        CREATE UNIQUE INDEX run_tasks_instances ON run_tasks(run_id, instance_of, item_index)
          WHERE instance_of IS NOT NULL;
        CREATE TABLE backfills (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          job TEXT NOT NULL CHECK (job <> ''),
          range_from TEXT NOT NULL,
          range_to TEXT NOT NULL,
          options TEXT NOT NULL CHECK (json_valid(options) AND json_type(options) = 'object'),
          times TEXT NOT NULL CHECK (json_valid(times) AND json_type(times) = 'array'),
          created_at TEXT NOT NULL,
          finished_at TEXT,
          state TEXT NOT NULL CHECK ((state = 'running' OR state = 'succeeded' OR state = 'failed')),
          CHECK ((finished_at IS NULL) = (state = 'running'))
        );
        CREATE INDEX backfills_unfinished ON backfills(job, id) WHERE state = 'running';
        CREATE TABLE "runs" (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          job TEXT NOT NULL CHECK (job <> ''),
          trigger TEXT NOT NULL CHECK ((trigger = 'schedule' OR trigger = 'catchup' OR trigger = 'manual' OR trigger = 'backfill')),
          scheduled_at TEXT NOT NULL,
          created_at TEXT NOT NULL,
          started_at TEXT,
          finished_at TEXT,
          status TEXT NOT NULL CHECK ((status = 'queued' OR status = 'running' OR status = 'succeeded' OR status = 'failed' OR status = 'cancelled')),
          reason TEXT,
          params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
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
        CREATE UNIQUE INDEX runs_scheduled_once ON runs(job, scheduled_at)
          WHERE trigger IN ('schedule','catchup');
        CREATE INDEX runs_by_job ON runs(job, id DESC);
        CREATE INDEX runs_by_created ON runs(created_at);
        CREATE INDEX runs_by_status ON runs(status, id);
        CREATE TABLE run_snapshots (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
          job_snapshot TEXT NOT NULL CHECK (json_valid(job_snapshot))
        );
        """
}
