import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing
@testable import GnomonDaemon

/// Continuous schedules on a manual clock: each run's task waits until the test releases it, so a
/// run ends exactly when a step says, and the next fire time is counted from that end (or start).
@Suite(.timeLimit(.minutes(2)))
struct DaemonContinuousTests {
    static func job(_ d: ClockedDaemon, from: String, overlap: String = "skip") -> String {
        """
        schedule: { every: 10s, from: \(from) }
        overlap: \(overlap)
        tasks:
          a: { run: "until [ -e \(d.root)/release-$GNOMON_RUN_ID ]; do sleep 0.01; done" }
        """
    }

    /// Lets the job's unfinished run end now and waits until the daemon has handled its end.
    static func release(_ d: ClockedDaemon, _ job: String) async throws -> Int64 {
        let run = try #require(try d.runs(of: job).first { !$0.summary.status.isFinished })
        FileManager.default.createFile(atPath: "\(d.root)/release-\(run.id)", contents: nil)
        try await d.waitUntilEnded(run.id)
        try await d.settle()
        return run.id
    }

    @Test
    func fromEndFiresEveryAfterTheRunEndedNeverWhileItRunsAndOnceAfterDowntime() async throws {
        let d = try ClockedDaemon()
        try d.write(job: "c", Self.job(d, from: "end"))
        try await d.start()
        // First seen with no run: it fires at once.
        try await d.advance(by: 30, runsEnd: false)
        #expect(try d.decisions("c") == [.init(0, .started)], "nothing fires while the run runs: \(d.logs.text)")
        _ = try await Self.release(d, "c")  // ends at 30: the next is at 40
        try await d.advance(to: ClockedDaemon.at(39.5), runsEnd: false)
        #expect(try d.decisions("c").count == 1)
        try await d.advance(to: ClockedDaemon.at(45), runsEnd: false)
        #expect(try d.decisions("c") == [.init(0, .started), .init(40, .started)])
        _ = try await Self.release(d, "c")  // ends at 45: the next would be at 55
        try await d.stop()

        // Down from about 45 to 1000: one late run for 55, then every after it ends; never a burst.
        try await d.advance(to: ClockedDaemon.at(1000))
        try await d.start()
        try await d.advance(by: 5, runsEnd: false)
        #expect(try d.decisions("c") == [.init(0, .started), .init(40, .started), .init(55, .caughtUp)], "\(d.logs.text)")
        let late = try #require(try d.runs(of: "c").last)
        #expect(late.summary.trigger == .catchup)
        #expect(late.summary.scheduledAt == ClockedDaemon.at(55))
        _ = try await Self.release(d, "c")  // ends at 1005: the next is at 1015
        try await d.advance(to: ClockedDaemon.at(1016), runsEnd: false)
        #expect(try d.decisions("c").last == .init(1015, .started))
        let runs = try d.runs(of: "c")
        #expect(runs.count == 4)
        #expect(!DaemonOverlapTests.overlapping(runs), "from: end never overlaps")
        try await d.stop()
    }

    @Test
    func fromStartCountsFromTheStartAndTheOverlapRuleDecides() async throws {
        let d = try ClockedDaemon()
        try d.write(job: "s", Self.job(d, from: "start"))
        try await d.start()
        // Started at 0; at 10 it still runs (skip); released at 12; the next is 10 after the skipped 10.
        try await d.advance(to: ClockedDaemon.at(12), runsEnd: false)
        _ = try await Self.release(d, "s")
        try await d.advance(to: ClockedDaemon.at(21), runsEnd: false)
        #expect(try d.decisions("s") == [.init(0, .started), .init(10, .skippedOverlap), .init(20, .started)], "\(d.logs.text)")
        // Released at 21: from start, the next is 10 after 20, not after 21.
        _ = try await Self.release(d, "s")
        try await d.advance(to: ClockedDaemon.at(30.5), runsEnd: false)
        #expect(try d.decisions("s").last == .init(30, .started))
        try await d.stop()
    }

    @Test
    func aTriggeredRunCountsAsThePreviousRun() async throws {
        let d = try ClockedDaemon()
        try d.write(job: "c", Self.job(d, from: "end"))
        try await d.start()
        _ = try await Self.release(d, "c")  // the first run, at 0, ends at 0
        try await d.advance(to: ClockedDaemon.at(5), runsEnd: false)
        _ = try d.store().addTriggerRequest(job: "c", params: [:], at: d.clock.now())
        d.post(.triggers)
        let started = await eventually(within: TestTiming.patience) { try d.runs(of: "c").count == 2 }
        #expect(started)
        try await d.advance(to: ClockedDaemon.at(8), runsEnd: false)
        _ = try await Self.release(d, "c")  // the triggered run ends at 8: the next is at 18, not 10
        try await d.advance(to: ClockedDaemon.at(17.5), runsEnd: false)
        #expect(try d.decisions("c") == [.init(0, .started)], "\(d.logs.text)")
        try await d.advance(to: ClockedDaemon.at(18.5), runsEnd: false)
        #expect(try d.decisions("c") == [.init(0, .started), .init(18, .started)])
        try await d.stop()
    }
}
