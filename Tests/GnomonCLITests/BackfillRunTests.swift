import Foundation
import Glibc
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// `gnomon backfill` running a month of a daily job: the runs it creates, their scheduled times
/// reaching the tasks, `--max-active` measured, nothing again when every day succeeded, and a
/// driver SIGKILLed mid-way resumed by the same command with every fire time run once.
@Suite("gnomon backfill runs")
struct BackfillRunTests {
    static let month = ["--from", "2026-11-01", "--to", "2026-11-30"]
    static let days = (1...30).map { String(format: "2026-11-%02dT02:00:00Z", $0) }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let maxActive: Int?
        /// How many runs the interval log must show at once at most (and, as the barrier makes
        /// certain when the limit is respected, at least).
        let overlap: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "one run at a time by default", maxActive: nil, overlap: 1),
        Case(name: "--max-active 2: two at once, never three", maxActive: 2, overlap: 2),
    ]

    @Test("a month of a daily job: dry run, run, again without reruns", arguments: cases)
    func month(_ c: Case) async throws {
        let home = try TemporaryHome()
        let intervals = home.path("intervals"), daysFile = home.path("days")
        try home.writeJob("daily", """
            schedule: "0 2 * * *"
            tasks:
              work:
                run: echo "$GNOMON_SCHEDULED_TIME" >> '\(daysFile)'; \(IntervalLog.busy(intervals, seconds: "0.05", barrier: c.overlap))
            """)
        let cli = CLI(home: home)
        let dry = try await cli.run(["backfill", "daily"] + Self.month + ["--dry-run"])
        #expect(dry.status == 0 && dry.stdout.split(separator: "\n").map(String.init) == Self.days, "\(dry)")

        let limit = c.maxActive.map { ["--max-active", String($0)] } ?? []
        let run = try await cli.run(["backfill", "daily"] + Self.month + limit)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("backfill 1 succeeded: 30 run(s)"), "\(run)")

        let store = try home.openStore()
        let runs = try store.runs(RunQuery(job: "daily", limit: 100))
        #expect(runs.count == 30 && runs.allSatisfy { $0.trigger == .backfill && $0.status == .succeeded }, "\(runs)")
        // Oldest first: run ids follow the fire times.
        #expect(runs.sorted { $0.id < $1.id }.map { ISOTime.utc($0.scheduledAt) } == Self.days)
        let reached = (home.read("days") ?? "").split(separator: "\n").map(String.init)
        #expect(reached.sorted() == Self.days, "GNOMON_SCHEDULED_TIME as the tasks saw it: \(reached)")
        let log = IntervalLog(text: home.read("intervals") ?? "")
        #expect(log.intervals.count == 30 && log.unpaired.isEmpty, "\(log)")
        #expect(log.maxOverlap == c.overlap, "\(log)")

        let listed = try await cli.run(["runs", "--trigger", "backfill", "--limit", "100", "--json"])
        #expect((try listed.json() as? [Any])?.count == 30, "\(listed)")

        let again = try await cli.run(["backfill", "daily"] + Self.month + limit)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout.contains("nothing to run"), "\(again)")
        #expect(try store.runs(RunQuery(job: "daily", limit: 100)).count == 30)
    }

    @Test("--no-follow without a daemon: exit 4, nothing recorded")
    func noFollowWithoutADaemon() async throws {
        let home = try TemporaryHome()
        try home.writeJob("daily", "schedule: \"0 2 * * *\"\ntasks:\n  work: { run: \"true\" }\n")
        let result = try await CLI(home: home).run(["backfill", "daily"] + Self.month + ["--no-follow"])
        #expect(result.status == 4, "\(result)")
        #expect(result.stderr.contains("--no-follow hands the backfill to the daemon, and no gnomon daemon runs on \(home.home)"), "\(result)")
        #expect(try home.openStore().unfinishedBackfills().isEmpty)
    }

    @Test("SIGKILL of the driver mid-way, then the same command: every fire time succeeded once")
    func resumedAfterSIGKILL() async throws {
        let home = try TemporaryHome()
        try home.writeJob("daily", """
            schedule: "0 2 * * *"
            tasks:
              work:
                run: sleep 0.2
            """)
        let cli = CLI(home: home)
        let store = try home.openStore()
        let driver = try cli.start(["backfill", "daily"] + Self.month + ["--max-active", "2"], name: "driver")
        let midWay = await eventually(within: .seconds(60), every: .milliseconds(20)) {
            try store.runs(RunQuery(job: "daily", statuses: [.succeeded], limit: 100)).count >= 6
        }
        #expect(midWay, "the backfill never got 6 runs done")
        driver.process.send(SIGKILL)
        let killed = await driver.finish()
        #expect(killed.status != 0, "\(killed)")
        let before = try store.runs(RunQuery(job: "daily", limit: 100))
        #expect(before.count < 30, "the driver finished before it was killed: \(before.count) runs")

        let resumed = try await cli.run(["backfill", "daily"] + Self.month + ["--max-active", "2"])
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stdout.hasPrefix("resuming backfill 1 of daily: 30 fire time(s)"), "\(resumed)")
        #expect(resumed.stdout.contains("backfill 1 succeeded: 30 run(s)"), "\(resumed)")

        let runs = try store.runs(RunQuery(job: "daily", limit: 100))
        #expect(runs.count == 30, "\(runs.map { ISOTime.utc($0.scheduledAt) })")
        #expect(runs.allSatisfy { $0.trigger == .backfill && $0.status == .succeeded }, "\(runs)")
        #expect(Set(runs.map { ISOTime.utc($0.scheduledAt) }) == Set(Self.days))
        // The runs created before the kill were kept, not created again.
        #expect(Set(before.map(\.id)).isSubset(of: Set(runs.map(\.id))))
    }
}
