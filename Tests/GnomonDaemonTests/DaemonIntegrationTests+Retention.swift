import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

extension DaemonIntegrationTests {
    /// How many runs of ten attempts the backlog holds: 100,000 attempts, written in about 15 s
    /// by a debug build (the 1,000,000 is `scripts/bench soak --backlog`'s figure).
    static let backlogRuns = 10_000

    /// The real daemon prunes a backlog of 100,000 attempts in paced batches while it fires an
    /// every-second job: no fire time is decided, and no run started, more than 1 s late.
    @Test
    func pruningABigBacklogLeavesNoFireTimeMoreThanASecondLate() async throws {
        let h = try DaemonHarness()
        let store = try h.store()
        let started = ContinuousClock.now
        try HistoryWriter(store: store, home: h.home)
            .write(job: "old", count: Self.backlogRuns, attempts: 10, firstEnd: Date().addingTimeInterval(-86_400), spacing: 1)
        let writing = ContinuousClock.now - started
        try "keep: { runs: 10 }\n".write(toFile: h.root + "/gnomon.yaml", atomically: true, encoding: .utf8)
        try h.write(job: "tick", "schedule: \"@every 1s\"\nkeep: { runs: 100000 }\ntasks:\n  a: { run: \"true\" }\n")
        try await h.startDaemon(["--prune-every", "2s"])
        let pruned = await h.waitUntil(timeout: 90) { try store.runs(RunQuery(job: "old", limit: 20)).count == 10 }
        #expect(pruned, "the backlog was not pruned:\n\(h.log)")
        // Two more fire times after the pass, so the last ones decided during it are settled.
        let end = Date().addingTimeInterval(2)
        _ = await h.waitUntil(timeout: 5) { Date() > end }
        #expect(await h.stopDaemon() == 0)
        // The log's keys are sorted: attempts= comes first, runs= later.
        let line = h.log.split(separator: "\n").first { $0.contains("pruned history") }.map(String.init) ?? ""
        #expect(line.contains("attempts=\((Self.backlogRuns - 10) * 10) ") && line.contains(" runs=\(Self.backlogRuns - 10) "), "\(h.log)")

        let ticks = try h.ticks("tick")
        let runs = try h.runs(of: "tick")
        #expect(ticks.count >= 5 && runs.count >= 5, "\(ticks.count) ticks, \(runs.count) runs")
        let decided = ticks.map { $0.decidedAt.timeIntervalSince($0.fireTime) }
        let starts = runs.compactMap { run in run.attempts.first.map { $0.startedAt.timeIntervalSince(run.summary.scheduledAt) } }
        print("backlog of \(Self.backlogRuns * 10) attempts written in \(writing); \(ticks.count) fire times during the prune: "
              + "decided at most \(decided.max() ?? 0) s late, first task started at most \(starts.max() ?? 0) s late")
        #expect(decided.allSatisfy { $0 <= 1 }, "\(decided)")
        #expect(starts.allSatisfy { $0 <= 1 }, "\(starts)")
        let times = ticks.map(\.fireTime.timeIntervalSince1970)
        #expect(Set(times) == Set(stride(from: times.first ?? 0, through: times.last ?? 0, by: 1)), "every second was considered")
        #expect(try store.storageFigures().incrementalVacuum)
    }
}
