import GRDB

extension StoreSchema {
    /// `v9-run-snapshots`: a run's job snapshot moves from its `runs` row to a table of its own,
    /// one row per run, deleted with the run.
    ///
    /// SQLite writes a changed row whole: every change of a run's status (it starts, it ends, a
    /// cancel is asked for) rewrote the snapshot with it, and checked it with `json_valid` again.
    /// A 1,000-task job's snapshot is about 200 KB, 50 overflow pages written to the WAL at each
    /// change; a 100,000-task job's is about 20 MB. Kept apart, a snapshot is written once, when its
    /// run is created, and the `runs` table keeps one small row per run, which its listings read.
    static func separateSnapshots(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE run_snapshots (
              run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
              job_snapshot TEXT NOT NULL CHECK (json_valid(job_snapshot))
            );
            INSERT INTO run_snapshots (run_id, job_snapshot) SELECT id, job_snapshot FROM runs;
            ALTER TABLE runs DROP COLUMN job_snapshot;
            """)
    }
}
