import Foundation
import GnomonCore
import GnomonDaemon
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing

/// The pruner against a real SQLite file and real log files, at times passed in: what it
/// removes, what it holds, and what it leaves consistent.
@Suite(.timeLimit(.minutes(2)))
struct PrunerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs `sql` through the sqlite3 shell on `database`; its output.
    static func sql(_ database: String, _ sql: String) async throws -> String {
        let output = try await ProcessSpawner.shared.runCapturingOutput(["sqlite3", database, sql], environment: HostEnvironment.current)
        try #require(output.status.shellCode == 0, "sqlite3: \(output.errorText)")
        return output.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `PRAGMA integrity_check`, foreign keys, and nothing pointing at a missing run (but the
    /// newest event, which is never deleted so that ids keep growing).
    static func expectConsistent(_ database: String) async throws {
        #expect(try await sql(database, "PRAGMA integrity_check") == "ok")
        #expect(try await sql(database, "PRAGMA foreign_key_check") == "")
        let dangling = try await sql(database, """
            SELECT (SELECT count(*) FROM events WHERE run_id IS NOT NULL AND run_id NOT IN (SELECT id FROM runs)
                      AND id < (SELECT max(id) FROM events))
              || ' ' || (SELECT count(*) FROM ticks WHERE run_id IS NOT NULL AND run_id NOT IN (SELECT id FROM runs))
              || ' ' || (SELECT count(*) FROM deliveries WHERE run_id IS NOT NULL AND run_id NOT IN (SELECT id FROM runs))
              || ' ' || (SELECT count(*) FROM attempts WHERE run_id NOT IN (SELECT id FROM runs))
              || ' ' || (SELECT count(*) FROM run_snapshots WHERE run_id NOT IN (SELECT id FROM runs))
              || ' ' || (SELECT count(*) FROM runs WHERE id NOT IN (SELECT run_id FROM run_snapshots))
            """)
        #expect(dangling == "0 0 0 0 0 0", "events, ticks, deliveries, attempts, snapshots of missing runs; runs without a snapshot")
    }

    @Test
    func prunesBeyondTheCountAndTheDaysWithTheirLogsAndKeepsTheRest() async throws {
        let home = try TemporaryHome()
        let store = try home.openStore()
        let history = HistoryWriter(store: store, home: home.home)
        // 30 runs of "busy" a minute apart ending now, 10 of "old" a day apart ending 100 days ago.
        let busy = try history.write(job: "busy", count: 30, attempts: 2, firstEnd: Self.now.addingTimeInterval(-30 * 60), logText: "busy\n")
        let old = try history.write(job: "old", count: 10, firstEnd: Self.now.addingTimeInterval(-110 * 86_400), spacing: 86_400,
                                    logText: "old\n")
        let pruner = Pruner(store: store)
        pruner.configure(fallback: .standard, jobs: ["busy": RetentionPolicy(runs: 5, days: 90)])
        // A run's empty inputs file (GNOMON_INPUTS when no upstream task published) is kept with
        // its logs: it goes with a pruned run's folder, and stays with a kept run's.
        let emptyInputs = { (run: Int64) in "\(home.home)/logs/busy/\(run)/\(AttemptFiles.emptyInputsName)" }
        for run in [busy[0], busy.last!] { FileManager.default.createFile(atPath: emptyInputs(run), contents: Data("{}\n".utf8)) }

        let dry = try pruner.prune(now: Self.now, dryRun: true, pacing: false)
        // busy: 25 runs of 2 attempts, "busy\n" each; old: 10 runs of 1 attempt, "old\n".
        let expectedBytes: Int64 = 25 * 2 * 5 + 10 * 4
        #expect(dry.runs == 35 && dry.attempts == 60 && dry.logFiles == 60 && dry.logBytes == expectedBytes, "\(dry)")
        #expect(try store.runs(RunQuery(limit: 100)).count == 40, "a dry run removes nothing")

        let report = try pruner.prune(now: Self.now, pacing: false)
        #expect(report.runs == 35 && report.attempts == 60 && report.logFiles == 60 && report.logBytes == expectedBytes, "\(report)")
        let kept = try store.runs(RunQuery(limit: 100)).map(\.id)
        #expect(Set(kept) == Set(busy.suffix(5)))
        for id in busy.prefix(25) + old {
            #expect(!FileManager.default.fileExists(atPath: "\(home.home)/logs/\(id <= busy.last! ? "busy" : "old")/\(id)"))
        }
        for id in busy.suffix(5) {
            #expect(home.read(history.logPath(job: "busy", run: id, task: "t2")) == "busy\n")
        }
        #expect(FileManager.default.fileExists(atPath: emptyInputs(busy.last!)))
        #expect(try store.prunedRun(busy[0])?.runsPruned == 35)
        #expect(try store.prunedRun(busy.last!) == nil, "a kept run is not pruned")
        #expect(try store.prunedRun(old.last! + 1) == nil, "an id never given is not pruned")
        try await Self.expectConsistent(home.database)

        let again = try pruner.prune(now: Self.now, pacing: false)
        #expect(!again.removedAnything, "a second pass finds nothing")
    }

    @Test
    func holdsRunsWhoseAlertsAreNotDeliveredOrNotYetReadAndRunsNotFinished() async throws {
        let home = try TemporaryHome()
        let store = try home.openStore()
        let running = try store.createRun(NewRun(
            job: "etl", trigger: .manual, scheduledAt: Self.now.addingTimeInterval(-7200), createdAt: Self.now.addingTimeInterval(-7200),
            status: .running, snapshot: JobSpec(name: "etl", tasks: [TaskSpec(name: "t1", action: .shell("true"))], directory: "/"),
            runnerPID: 1, runnerInstance: "test", tasks: [NewTask(name: "t1")]))
        let ids = try HistoryWriter(store: store, home: home.home).write(job: "etl", count: 6, firstEnd: Self.now.addingTimeInterval(-3600))
        // The notifier has read up to the events of ids[2]: the later runs' alerts are not decided.
        let lastRead = try #require(try store.events(after: 0, limit: 10_000).last { $0.runID == ids[2] }).id
        try store.queue([], advancing: "notifier", to: lastRead, at: Self.now)
        // An alert about ids[1] is queued and not delivered.
        let event = try #require(try store.events(after: 0, limit: 10_000).first { $0.runID == ids[1] }).id
        try store.queue([NewDelivery(eventID: event, channel: "chat", kind: "failure", job: "etl", runID: ids[1], payload: "{}")], at: Self.now)

        let pruner = Pruner(store: store)
        pruner.configure(fallback: RetentionPolicy(runs: 2, days: 90), jobs: [:])
        // Newest first: ids[5] and ids[4] are inside; ids[3] is unread, ids[1] has its alert
        // queued, the older running run is not finished: held; ids[2] and ids[0] go.
        let first = try pruner.prune(now: Self.now, pacing: false)
        #expect(first.runs == 2 && first.heldForAlerts == 2 && first.heldUnfinished == 1, "\(first)")
        #expect(Set(try store.runs(RunQuery(limit: 100)).map(\.id)) == [running, ids[1], ids[3], ids[4], ids[5]])

        let claimed = try store.claimDueDeliveries(at: Self.now, holder: "test", lease: .seconds(60), limit: 10)
        try store.recordTry(of: try #require(claimed.first).id, .delivered(answer: "200"), at: Self.now)
        try store.queue([], advancing: "notifier", to: try store.lastEventID(), at: Self.now)
        let second = try pruner.prune(now: Self.now, pacing: false)
        #expect(second.runs == 2 && second.deliveries == 1 && second.heldForAlerts == 0 && second.heldUnfinished == 1, "\(second)")
        #expect(Set(try store.runs(RunQuery(limit: 100)).map(\.id)) == [running, ids[4], ids[5]])

        // Ten days later every finished run is past days: 1; the running one stays.
        pruner.configure(fallback: RetentionPolicy(runs: 1_000, days: 1), jobs: [:])
        let third = try pruner.prune(now: Self.now.addingTimeInterval(10 * 86_400), pacing: false)
        #expect(third.runs == 2)
        #expect(try store.runs(RunQuery(limit: 100)).map(\.id) == [running])
        try await Self.expectConsistent(home.database)
    }

    @Test
    func theNewestEventIsNeverDeletedSoEventIdsKeepGrowing() async throws {
        let home = try TemporaryHome()
        let store = try home.openStore()
        try HistoryWriter(store: store, home: home.home).write(job: "etl", count: 20, firstEnd: Self.now.addingTimeInterval(-3600))
        let newest = try store.lastEventID()
        let pruner = Pruner(store: store)
        // Every run is outside the days: all go, and with them every event but the newest.
        pruner.configure(fallback: RetentionPolicy(runs: 1_000, days: 1), jobs: [:])
        let report = try pruner.prune(now: Self.now.addingTimeInterval(3 * 86_400), pacing: false)
        #expect(report.runs == 20)
        #expect(try store.events(after: 0, limit: 100).map(\.id) == [newest])
        try store.recordSilence(job: "etl", since: Self.now, at: Self.now)
        #expect(try store.lastEventID() == newest + 1)
    }

    @Test
    func theFileShrinksAfterABigPruneAndStaysBoundedWhileHistoryKeepsComing() async throws {
        let home = try TemporaryHome()
        let store = try home.openStore()
        #expect(try store.storageFigures().incrementalVacuum, "a new database gives free pages back")
        let history = HistoryWriter(store: store, home: home.home)
        let pruner = Pruner(store: store)
        pruner.configure(fallback: RetentionPolicy(runs: 200, days: 90), jobs: [:])
        try history.write(job: "etl", count: 5_000, attempts: 4, firstEnd: Self.now.addingTimeInterval(-86_400))
        let full = try store.storageFigures().bytes
        let report = try pruner.prune(now: Self.now, pacing: false)
        let pruned = try store.storageFigures().bytes
        #expect(report.runs == 4_800)
        #expect(pruned < full / 4, "\(full) bytes before, \(pruned) after")
        #expect(report.reclaimedBytes > 0)
        // Ten more rounds of 1,000 runs, each pruned: the file does not grow past its size after one.
        var sizes: [Int64] = []
        for round in 1...10 {
            try history.write(job: "etl", count: 1_000, attempts: 4, firstEnd: Self.now.addingTimeInterval(Double(round) * 86_400))
            _ = try pruner.prune(now: Self.now.addingTimeInterval(Double(round) * 86_400 + 90_000), pacing: false)
            sizes.append(try store.storageFigures().bytes)
        }
        #expect(sizes.max()! <= sizes[0] * 11 / 10, "\(sizes)")
        try await Self.expectConsistent(home.database)
    }
}
