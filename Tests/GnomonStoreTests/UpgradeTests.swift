import Foundation
import GRDB
import GnomonCore
import GnomonTesting
import Testing
@testable import GnomonStore

/// Databases made by earlier versions of the schema (Tests/GnomonStoreTests/Schemas, see its
/// README) open, upgrade and keep every row; one made by a newer Gnomon is refused untouched.
@Suite("Upgrading databases of earlier schemas")
struct UpgradeTests {
    /// The fixtures folder beside this file.
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Schemas").path

    static let fixtures = ["v1-daemon", "v2-daemon-jobs", "v3-events", "v4-deliveries"]

    /// A home holding a copy of `fixture` as its database (the checked-in file is never opened).
    static func home(with fixture: String) throws -> TemporaryHome {
        let home = try TemporaryHome()
        try FileManager.default.createDirectory(atPath: home.home, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(schemas)/\(fixture).db", toPath: home.database)
        return home
    }

    @Test("a database of an earlier schema upgrades and keeps its runs, tasks, attempts and ticks", arguments: fixtures)
    func upgrades(_ fixture: String) async throws {
        let home = try Self.home(with: fixture)
        let store = try GnomonStore.open(home: home.home)

        let migrations = try await SQLiteShell.run(home.database, "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        #expect(migrations.split(separator: "\n").map(String.init) == StoreSchema.migrator.migrations)
        let finished = try #require(try store.run(1))
        #expect(finished.summary.status == .succeeded)
        #expect(finished.params == ["date": "2026-11-01"])
        #expect(finished.tasks.map(\.name) == ["extract", "load"])
        // v9-run-snapshots moved each run's snapshot to run_snapshots; every run keeps its own.
        #expect(finished.snapshot.name == "etl")
        #expect(finished.snapshot.tasks.map(\.name) == ["extract", "load"])
        #expect(finished.snapshot.tasks.map(\.dependsOn) == [[], ["extract"]])
        #expect(try store.run(2)?.snapshot.tasks.count == 2)
        #expect(try await SQLiteShell.run(home.database, "SELECT count(*) FROM run_snapshots") == "2")
        #expect(try await SQLiteShell.run(home.database, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'job_snapshot'") == "0")
        #expect(finished.attempts.map(\.outcome) == [.exited(code: 3), .exited(code: 0), .signalled(signal: 9)])
        #expect(try store.run(2)?.summary.status == .running)
        #expect(try store.unfinishedRuns().map(\.id) == [2])
        #expect(try store.ticks(job: "etl", limit: 10).map(\.decision) == [.started, .missed])

        // The upgraded database takes everything this version writes: a new run, and every event
        // type (v3-events databases made before job_silent and job_late existed are widened, and
        // every earlier one before disk_low and disk_ok, by v6-disk-events).
        let id = try store.createRun(newRun())
        #expect(id == 3)
        try await store.writer.write { db in
            for (offset, type) in ["job_silent", "job_late", "run_created", "disk_low", "disk_ok"].enumerated() {
                try db.execute(sql: "INSERT INTO events (id, at, type, job) VALUES (?, '2026-12-01T00:00:00.000Z', ?, 'etl')",
                               arguments: [1000 + offset, type])
            }
        }
        #expect(try await SQLiteShell.run(home.database, "PRAGMA integrity_check") == "ok")
        #expect(try await SQLiteShell.run(home.database, "PRAGMA foreign_key_check") == "")
    }

    @Test("v6-slurm-reference moves a Slurm job id kept as container_name slurm:ID to slurm_job_id; container names stay")
    func slurmReferenceMoves() async throws {
        let home = try Self.home(with: "v4-deliveries")
        // As versions before v6-slurm-reference recorded them: run 2's open attempt ran on Slurm
        // (a job id, and one recorded by recovery before its id was known), run 1's in a container.
        try await SQLiteShell.run(home.database, """
            UPDATE attempts SET container_name = 'slurm:117' WHERE run_id = 2;
            UPDATE attempts SET container_name = 'gnomon-etl-1-extract' WHERE run_id = 1 AND task = 'extract' AND number = 1;
            UPDATE attempts SET container_name = 'slurm:' WHERE run_id = 1 AND task = 'load';
            """)
        let store = try GnomonStore.open(home: home.home)
        let running = try #require(try store.run(2))
        #expect(!running.attempts.isEmpty)
        #expect(running.attempts.allSatisfy { $0.slurm == SlurmJobRecord(id: "117") && $0.containerName == nil })
        let finished = try #require(try store.run(1))
        #expect(finished.attempts.map(\.containerName) == ["gnomon-etl-1-extract", nil, nil])
        #expect(finished.attempts.map(\.slurm) == [nil, nil, SlurmJobRecord(id: nil)])
        #expect(try await SQLiteShell.run(home.database, "SELECT count(*) FROM attempts WHERE container_name LIKE 'slurm:%'") == "0")
    }

    @Test("a database made by a newer gnomon is refused with a clear message and not altered")
    func newerRefused() async throws {
        let home = try Self.home(with: "v4-deliveries")
        // As a newer Gnomon leaves it: WAL, a migration this build does not know, its table.
        try await SQLiteShell.run(home.database, """
            PRAGMA journal_mode = WAL;
            INSERT INTO grdb_migrations VALUES ('v99-future');
            CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT);
            INSERT INTO future_things (what) VALUES ('kept');
            """)
        // Everything in the database file itself, none left in a WAL, before it is compared.
        try await SQLiteShell.run(home.database, "PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try Data(contentsOf: URL(fileURLWithPath: home.database))

        #expect(throws: StoreError.newerSchema(location: home.database, unknownMigrations: ["v99-future"])) {
            _ = try GnomonStore.open(home: home.home)
        }
        #expect(StoreError.newerSchema(location: home.database, unknownMigrations: ["v99-future"]).description
            == "database at \(home.database) was upgraded by a newer gnomon (unknown migrations: v99-future); upgrade gnomon or point $GNOMON_HOME elsewhere")
        let after = try Data(contentsOf: URL(fileURLWithPath: home.database))
        #expect(after == before, "the database file changed")
        #expect(try await SQLiteShell.run(home.database, "SELECT count(*) FROM grdb_migrations") == "6")
        #expect(try await SQLiteShell.run(home.database, "SELECT what FROM future_things") == "kept")
    }
}
