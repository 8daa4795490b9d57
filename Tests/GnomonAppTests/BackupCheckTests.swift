import Foundation
import GnomonApp
import GnomonCore
import GnomonExecution
import GnomonStore
import GnomonTesting
import Synchronization
import Testing

/// `gnomon backup` and `gnomon check`.
@Suite("Backups and checks")
struct BackupCheckTests {
    /// A queued run of job `load` with one task, as a runner records it.
    static func writeRun(_ store: GnomonStore, at date: Date) throws -> Int64 {
        let job = JobSpec(name: "load", tasks: [TaskSpec(name: "a", action: .shell("true"))], directory: "/tmp")
        return try store.createRun(NewRun(
            job: "load", trigger: .manual, scheduledAt: date, createdAt: date, snapshot: job, runnerPID: 1,
            runnerInstance: "writer", tasks: [NewTask(name: "a")]))
    }

    /// The `sqlite3` shell's output for `sql` against `database`.
    static func sqlite(_ database: String, _ sql: String) async throws -> String {
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            ["/usr/bin/sqlite3", "-bail", "-cmd", ".timeout 10000", database, sql], environment: ["PATH": "/usr/bin:/bin"])
        #expect(output.status == .exited(code: 0), "sqlite3: \(output.errorText)")
        return output.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a backup taken while runs are written is a sound database holding every run committed before it")
    func backupWhileWriting() async throws {
        let bench = try Bench()
        let store = try GnomonStore.open(home: bench.home.home)
        for _ in 0..<200 { _ = try Self.writeRun(store, at: Date()) }
        // Another connection keeps committing runs while the backup is taken.
        let stop = Atomic<Bool>(false)
        let writer = Task.detached { () throws -> Int in
            var written = 0
            while !stop.load(ordering: .relaxed) {
                _ = try Self.writeRun(store, at: Date())
                written += 1
            }
            return written
        }
        let writing = await eventually(within: .seconds(30)) {
            ((try? store.runs(RunQuery(limit: 1)).first?.id) ?? 0) ?? 0 > 250
        }
        #expect(writing, "the writer has committed runs")
        let committed = try #require(try store.runs(RunQuery(limit: 1)).first?.id)
        let target = bench.home.path("copy.db")
        let said = try HomeBackup.backup(to: target, settings: bench.settings)
        stop.store(true, ordering: .relaxed)
        let written = try await writer.value
        #expect(said == "backed up \(bench.settings.databasePath) to \(target)")
        #expect(written > 50)

        let check = try await Self.sqlite(target, "PRAGMA integrity_check; PRAGMA foreign_key_check;")
        #expect(check == "ok")
        let ids = try await Self.sqlite(target, "SELECT count(*), min(id), max(id) FROM runs WHERE id <= \(committed)")
        #expect(ids == "\(committed)|1|\(committed)")
        let orphans = try await Self.sqlite(target, "SELECT count(*) FROM runs WHERE id NOT IN (SELECT run_id FROM run_tasks)")
        #expect(orphans == "0")
    }

    @Test("a backup never replaces a file, and needs a database")
    func backupRefusals() async throws {
        let bench = try Bench()
        let none = await bench.outcome { (.success, try HomeBackup.backup(to: bench.home.path("a.db"), settings: bench.settings)) }
        #expect(none.status == .notFound)
        #expect(none.text.hasPrefix("no database at \(bench.settings.databasePath); nothing to back up"))
        _ = try await bench.run("ok")
        let existing = try bench.home.write("keep me", to: "existing.db")
        let refused = await bench.outcome { (.success, try HomeBackup.backup(to: existing, settings: bench.settings)) }
        #expect(refused.status == .failure)
        #expect(refused.text == "\(existing) exists; name a new file (a backup never replaces a file)")
        #expect(bench.home.read("existing.db") == "keep me")
    }

    @Test("check: a sound home, then a missing log and an orphaned file, reported with exit 1")
    func checkLogs() async throws {
        let bench = try Bench()
        _ = try await bench.run("ok")
        _ = try await bench.run("fails")
        // A run's empty inputs file belongs to its logs (GNOMON_INPUTS when no upstream published).
        FileManager.default.createFile(
            atPath: bench.home.home + "/logs/ok/1/" + AttemptFiles.emptyInputsName, contents: Data("{}\n".utf8))
        let sound = try HomeCheck.check(settings: bench.settings)
        #expect(sound.sound)
        #expect(sound.text == "database: ok\nlogs: 2 attempts, 0 logs missing, 0 files no attempt names")

        let logs = bench.home.home + "/logs"
        try FileManager.default.removeItem(atPath: logs + "/ok/1/hello.1.log")
        FileManager.default.createFile(atPath: logs + "/fails/2/stray.1.log", contents: Data("x".utf8))
        let report = try HomeCheck.check(settings: bench.settings)
        #expect(!report.sound)
        #expect(report.text == """
            database: ok
            logs: 2 attempts, 1 logs missing, 1 files no attempt names
              missing: \(logs)/ok/1/hello.1.log (run 1 task hello attempt 1)
              orphaned: \(logs)/fails/2/stray.1.log
            """)
    }

    @Test("check: a damaged database is reported")
    func checkDamaged() async throws {
        let bench = try Bench()
        _ = try await bench.run("ok")
        // A task row and a snapshot whose run is gone: foreign keys off for this one statement's connection.
        try await Self.sqlite(bench.settings.databasePath, "PRAGMA foreign_keys = OFF; DELETE FROM runs WHERE id = 1;")
        let report = try HomeCheck.check(settings: bench.settings)
        #expect(report.database == [
            "run_snapshots row 1 refers to a missing runs row", "run_tasks row ? refers to a missing runs row",
        ])
        #expect(!report.sound)
    }
}
