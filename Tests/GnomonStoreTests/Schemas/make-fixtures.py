#!/usr/bin/env python3
"""Makes the database fixtures of earlier schema versions (see README.md beside this script).

Usage: make-fixtures.py extract   # from git history: writes SCHEMA.sql for each version below
       make-fixtures.py build     # from the SCHEMA.sql files: writes SCHEMA.db with the sqlite3 CLI

`extract` reads Sources/GnomonStore/StoreSchema.swift as it was at each commit below (git show),
takes the SQL of every migration registered there, fills in the Swift interpolations from the
same file's `static let` lists, and writes it with the grdb_migrations rows GRDB would have
recorded. `build` needs only the checked-in .sql files and sqlite3.
"""
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))

# fixture name: the last commit at which the schema had exactly these migrations (the schema as
# that version of Gnomon made it).
VERSIONS = [
    ("v1-daemon", "fc652b1"),
    ("v2-daemon-jobs", "033cd00"),
    ("v3-events", "c8fd4ab"),
    ("v4-deliveries", "1fd1acc"),
]

# The job every run was made from, as JobSpec encodes it (unchanged since v1-runs); @SNAPSHOT@
# in ROWS stands for it.
SNAPSHOT = '{"catchup":"latest","directory":"/home/gnomon/jobs","name":"etl","overlap":"skip","paused":false,"tasks":[{"action":{"shell":{"_0":"./extract.sh"}},"after":[],"dependsOn":[],"env":{},"name":"extract","retry":{"backoff":2,"delay":[0,10000000000000000000],"jitter":0.1,"limit":1,"maxDelay":[195,2884905626637434880]}},{"action":{"shell":{"_0":"./load.sh"}},"after":[],"dependsOn":["extract"],"env":{},"name":"load","retry":{"backoff":2,"delay":[0,10000000000000000000],"jitter":0.1,"limit":0,"maxDelay":[195,2884905626637434880]}}]}'

# A few rows of every table that version had: one finished run with two tasks and attempts,
# one running run, ticks, a pause, a trigger request, and the tables added later.
ROWS = {
    "v1-runs": """
INSERT INTO runs (id, job, trigger, scheduled_at, created_at, started_at, finished_at, status, reason,
  params, job_snapshot, runner_pid, runner_instance)
VALUES (1, 'etl', 'schedule', '2026-11-01T02:00:00.000Z', '2026-11-01T02:00:00.010Z',
  '2026-11-01T02:00:00.020Z', '2026-11-01T02:00:05.000Z', 'succeeded', NULL, '{"date":"2026-11-01"}',
  '@SNAPSHOT@', 4242, 'A1B2C3'),
  (2, 'etl', 'manual', '2026-11-02T02:00:00.000Z', '2026-11-02T02:00:00.010Z',
  '2026-11-02T02:00:00.020Z', NULL, 'running', NULL, '{}', '@SNAPSHOT@', 4243, 'D4E5F6');
INSERT INTO run_tasks (run_id, task, position, status, reason, retry_at, attempts, updated_at) VALUES
  (1, 'extract', 0, 'succeeded', NULL, NULL, 2, '2026-11-01T02:00:03.000Z'),
  (1, 'load', 1, 'succeeded', NULL, NULL, 1, '2026-11-01T02:00:05.000Z'),
  (2, 'extract', 0, 'running', NULL, NULL, 1, '2026-11-02T02:00:00.020Z');
INSERT INTO attempts (run_id, task, number, started_at, ended_at, pid, pgid, log_path, outcome,
  exit_code, signal, reason, runner_instance) VALUES
  (1, 'extract', 1, '2026-11-01T02:00:00.020Z', '2026-11-01T02:00:01.000Z', 300, 300,
   '/home/gnomon/logs/etl/1/extract.1.log', 'exited', 3, NULL, NULL, 'A1B2C3'),
  (1, 'extract', 2, '2026-11-01T02:00:02.000Z', '2026-11-01T02:00:03.000Z', 301, 301,
   '/home/gnomon/logs/etl/1/extract.2.log', 'exited', 0, NULL, NULL, 'A1B2C3'),
  (1, 'load', 1, '2026-11-01T02:00:03.000Z', '2026-11-01T02:00:05.000Z', 302, 302,
   '/home/gnomon/logs/etl/1/load.1.log', 'signalled', NULL, 9, NULL, 'A1B2C3'),
  (2, 'extract', 1, '2026-11-02T02:00:00.020Z', NULL, 400, 400,
   '/home/gnomon/logs/etl/2/extract.1.log', NULL, NULL, NULL, NULL, 'D4E5F6');
""",
    "v1-daemon": """
INSERT INTO job_state (job, paused, updated_at) VALUES ('etl', 1, '2026-11-03T00:00:00.000Z');
INSERT INTO ticks (job, fire_time, decided_at, decision, run_id, detail) VALUES
  ('etl', '2026-11-01T02:00:00.000Z', '2026-11-01T02:00:00.010Z', 'started', 1, NULL),
  ('etl', '2026-10-31T02:00:00.000Z', '2026-11-01T02:00:00.010Z', 'missed', NULL, 'daemon was down');
INSERT INTO trigger_requests (job, params, requested_at, claimed_at, run_id, reason) VALUES
  ('etl', '{}', '2026-11-02T01:59:59.000Z', '2026-11-02T02:00:00.000Z', 2, NULL);
""",
    "v2-daemon-jobs": """
INSERT INTO daemon_jobs (job, definition, schedule, since, updated_at) VALUES
  ('etl', '@SNAPSHOT@', '0 2 * * *', '2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z');
""",
    "v3-events": """
INSERT INTO events (id, at, type, job, run_id, task, attempt, status, detail) VALUES
  (1, '2026-11-01T02:00:00.010Z', 'run_created', 'etl', 1, NULL, NULL, 'running', 'schedule'),
  (2, '2026-11-01T02:00:05.000Z', 'run_finished', 'etl', 1, NULL, NULL, 'succeeded', NULL);
INSERT INTO job_files (job, valid, problem, updated_at) VALUES ('etl', 1, NULL, '2026-10-01T00:00:00.000Z');
""",
    "v4-deliveries": """
INSERT INTO event_cursors (reader, event_id, updated_at) VALUES ('notifier', 2, '2026-11-01T02:00:06.000Z');
INSERT INTO deliveries (event_id, channel, kind, job, run_id, payload, queued_at, tries, next_try_at,
  delivered_at) VALUES (2, 'ops', 'recovered', 'etl', 1, '{"status":"succeeded"}', '2026-11-01T02:00:06.000Z', 1,
  NULL, '2026-11-01T02:00:06.500Z');
""",
}


def git_show(commit):
    return subprocess.run(["git", "-C", root, "show", f"{commit}:Sources/GnomonStore/StoreSchema.swift"],
                          check=True, capture_output=True, text=True).stdout


def constants(source):
    """The `static let NAME = "..." [+ "..."]` string lists of StoreSchema."""
    values = {}
    for match in re.finditer(r'static let (\w+)\s*=\s*((?:\s*\+?\s*"[^"\n]*")+)', source):
        values[match.group(1)] = "".join(re.findall(r'"([^"\n]*)"', match.group(2)))
    return values


def migrations(source):
    """(name, SQL) of each registered migration, oldest first."""
    values = constants(source)
    out = []
    for name, function in re.findall(r'registerMigration\("([^"]+)", migrate: (\w+)\)', source):
        body = source[source.index(f"static func {function}("):]
        sql = body.split('"""', 2)[1]
        sql = re.sub(r'\\\((\w+)\)', lambda m: values[m.group(1)], sql)
        out.append((name, "\n".join(line[12:] if line.startswith(" " * 12) else line.strip()
                                    for line in sql.strip("\n").splitlines()).strip() + "\n"))
    return out


def extract():
    for version, commit in VERSIONS:
        steps = migrations(git_show(commit))
        assert steps[-1][0] == version, f"{commit} ends with {steps[-1][0]}, not {version}"
        text = [f"-- The schema after migration {version}, as StoreSchema.swift made it at commit {commit}.",
                "-- Written by make-fixtures.py extract; do not edit.",
                "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);"]
        for name, sql in steps:
            text += [f"-- {name}", sql, f"INSERT INTO grdb_migrations VALUES ('{name}');"]
        with open(os.path.join(here, f"{version}.sql"), "w") as f:
            f.write("\n".join(text) + "\n")


def build():
    for version, _ in VERSIONS:
        path = os.path.join(here, f"{version}.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        with open(os.path.join(here, f"{version}.sql")) as f:
            schema = f.read()
        names = re.findall(r"INSERT INTO grdb_migrations VALUES \('([^']+)'\)", schema)
        rows = "".join(ROWS[name] for name in names if name in ROWS).replace("@SNAPSHOT@", SNAPSHOT)
        script = "PRAGMA foreign_keys = ON;\nBEGIN;\n" + schema + rows + "COMMIT;\n"
        subprocess.run(["sqlite3", "-bail", path], input=script, check=True, text=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["extract"]:
        extract()
    elif sys.argv[1:] == ["build"]:
        build()
    else:
        sys.exit(__doc__)
