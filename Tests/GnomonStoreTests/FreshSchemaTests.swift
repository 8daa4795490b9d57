import Foundation
import GRDB
import GnomonTesting
import Testing
@testable import GnomonStore

/// A new database is made from `StoreSchema.freshSchema` in one transaction; an existing one is
/// upgraded by the migrations. Both must end in the same schema.
@Suite("The schema of a new database")
struct FreshSchemaTests {
    /// What a database's schema is, for comparing two: every table and index with its SQL, the
    /// recorded migrations and every row of every table (the AUTOINCREMENT counters included).
    static func describe(_ db: Database) throws -> [String] {
        let objects = try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
            .map { "\($0["type"] as String) \($0["name"] as String) on \($0["tbl_name"] as String): \(($0["sql"] as String?) ?? "-")" }
        let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        // Every row of every table (the migrations' own record aside): a migration may write rows.
        var rows: [String] = []
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'grdb_migrations' ORDER BY name") {
            rows += try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { "\(table): \($0)" }
        }
        return objects + ["migrations: \(migrations)"] + rows
    }

    @Test("a new home's database has the schema the migrations make, one by one, and every migration recorded")
    func freshEqualsMigrated() async throws {
        let home = try TemporaryHome()
        let store = try GnomonStore.open(home: home.home)
        let fresh = try await store.writer.read { db in try Self.describe(db) }

        let migrated = try DatabaseQueue()
        try StoreSchema.migrator.migrate(migrated)
        let expected = try await migrated.read { db in try Self.describe(db) }
        let script = try await migrated.read { db in
            try String.fetchAll(db, sql: """
                SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid
                """).joined(separator: "\n")
        }
        let missing = expected.filter { !fresh.contains($0) }, extra = fresh.filter { !expected.contains($0) }
        #expect(missing.isEmpty && extra.isEmpty && fresh.count == expected.count,
                "StoreSchema.freshSchema is out of date (missing \(missing), extra \(extra)); make it:\n\(script)")
        #expect(try await SQLiteShell.run(home.database, "PRAGMA integrity_check") == "ok")
        #expect(try await SQLiteShell.run(home.database, "PRAGMA auto_vacuum") == "2")
    }

    @Test("a new database takes a run, its tasks and attempts")
    func freshTakesRuns() throws {
        let store = try GnomonStore.inMemory()
        let run = try store.createRun(newRun())
        try store.record([attemptStarted(run, job().tasks[0].name, at: at("2024-05-01T12:00:01Z"))])
        #expect(try store.run(run)?.attempts.count == 1)
    }
}
