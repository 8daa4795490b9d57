import Foundation
import GRDB
import GnomonTesting
import Testing
@testable import GnomonStore

/// `v8-plain-checks`: CHECKs of `column IN (3 or more values)` are rewritten as OR chains, which
/// SQLite evaluates without building a temporary b-tree for every statement.
@Suite("Plain CHECK constraints")
struct PlainChecksTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let sql: String
        let plain: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "three values become an OR chain",
             sql: "status TEXT CHECK (status IN ('a','b','c'))",
             plain: "status TEXT CHECK ((status = 'a' OR status = 'b' OR status = 'c'))"),
        Case(name: "spaces and line breaks between values",
             sql: "kind TEXT CHECK (kind IN ('a', 'b',\n  'c'))",
             plain: "kind TEXT CHECK ((kind = 'a' OR kind = 'b' OR kind = 'c'))"),
        Case(name: "two values stay (SQLite compares them directly)",
             sql: "CHECK ((finished_at IS NULL) = (status IN ('queued','running')))",
             plain: "CHECK ((finished_at IS NULL) = (status IN ('queued','running')))"),
        Case(name: "an expression before IN stays",
             sql: "CHECK ((coalesce(outcome, '') IN ('x','y','z')) = (reason IS NOT NULL))",
             plain: "CHECK ((coalesce(outcome, '') IN ('x','y','z')) = (reason IS NOT NULL))"),
        Case(name: "NOT IN stays",
             sql: "CHECK (kind NOT IN ('a','b','c'))",
             plain: "CHECK (kind NOT IN ('a','b','c'))"),
        Case(name: "numbers stay",
             sql: "CHECK (paused IN (0, 1, 2))",
             plain: "CHECK (paused IN (0, 1, 2))"),
        Case(name: "a comma inside a value is part of it",
             sql: "CHECK (k IN ('a,b','c','d'))",
             plain: "CHECK ((k = 'a,b' OR k = 'c' OR k = 'd'))"),
        Case(name: "two lists in one table",
             sql: "a TEXT CHECK (a IN ('1','2','3')), b TEXT CHECK (b IN ('x','y','z','w'))",
             plain: "a TEXT CHECK ((a = '1' OR a = '2' OR a = '3')), b TEXT CHECK ((b = 'x' OR b = 'y' OR b = 'z' OR b = 'w'))"),
    ]

    @Test("rewriting a table's definition", arguments: cases)
    func rewrite(_ testCase: Case) {
        #expect(StoreSchema.plainChecks(in: testCase.sql) == testCase.plain)
    }

    /// A value each rewritten CHECK must refuse, and the statement that tries it.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let name: String
        let sql: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "a task status", sql: "UPDATE run_tasks SET status = 'bogus' WHERE run_id = 1"),
        Refusal(name: "a run trigger", sql: "UPDATE runs SET trigger = 'bogus' WHERE id = 1"),
        Refusal(name: "a run status", sql: "UPDATE runs SET status = 'bogus' WHERE id = 1"),
        Refusal(name: "an attempt outcome", sql: "UPDATE attempts SET outcome = 'bogus' WHERE run_id = 1"),
        Refusal(name: "an event type", sql: "INSERT INTO events (at, type, job) VALUES ('2026-12-01T00:00:00.000Z', 'bogus', 'etl')"),
    ]

    @Test("a migrated database has no IN list left in its tables' CHECKs, passes its integrity check and still refuses bad values",
          arguments: refusals)
    func migrated(_ refusal: Refusal) async throws {
        let home = try TemporaryHome()
        let store = try GnomonStore.open(home: home.home)
        let run = try store.createRun(newRun())
        try store.record([attemptStarted(run, job().tasks[0].name, at: at("2024-05-01T12:00:01Z"))])
        let tables = try await SQLiteShell.run(home.database, "SELECT sql FROM sqlite_master WHERE type = 'table'")
        #expect(StoreSchema.plainChecks(in: tables) == tables)
        #expect(tables.contains("(status = 'waiting' OR status = 'ready'"))
        #expect(try await SQLiteShell.run(home.database, "PRAGMA integrity_check") == "ok")
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: refusal.sql) }
        }
    }
}
