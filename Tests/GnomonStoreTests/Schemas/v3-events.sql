-- The schema after migration v3-events, as StoreSchema.swift made it at commit c8fd4ab.
-- Written by make-fixtures.py extract; do not edit.
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
-- v1-runs
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job TEXT NOT NULL CHECK (job <> ''),
  trigger TEXT NOT NULL CHECK (trigger IN ('schedule','catchup','manual')),
  scheduled_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled')),
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
  status TEXT NOT NULL CHECK (status IN ('waiting','ready','running','retrying','succeeded','failed','skipped','cancelled')),
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
  outcome TEXT CHECK (outcome IN ('exited','signalled','timed_out','cancelled','could_not_start','lost','interrupted','out_of_memory')),
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

INSERT INTO grdb_migrations VALUES ('v1-runs');
-- v1-daemon
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
  decision TEXT NOT NULL CHECK (decision IN ('started','caught_up','queued','replaced','skipped_overlap','paused','missed','dropped','duplicate','error')),
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

INSERT INTO grdb_migrations VALUES ('v1-daemon');
-- v2-daemon-jobs
CREATE TABLE daemon_jobs (
  job TEXT PRIMARY KEY NOT NULL CHECK (job <> ''),
  definition TEXT NOT NULL CHECK (json_valid(definition)),
  schedule TEXT,
  since TEXT NOT NULL,
  updated_at TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO grdb_migrations VALUES ('v2-daemon-jobs');
-- v3-events
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('run_created','run_started','run_finished','task_changed','attempt_started','attempt_ended','fire_time','job_invalid','job_valid')),
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

INSERT INTO grdb_migrations VALUES ('v3-events');
