import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

extension DaemonIntegrationTests {
    /// The real binary on the wall clock: a `from: end` job starts each run a second after the
    /// previous one ended, never beside it, and `gnomon jobs` says what it waits for.
    @Test
    func aContinuousJobStartsEachRunASecondAfterThePreviousEnded() async throws {
        let h = try DaemonHarness()
        try h.write(job: "c", "schedule: { every: 1s, from: end }\ntasks:\n  a: { run: \"sleep 0.8\" }\n")
        try await h.startDaemon()
        // While a run runs, the listing names it instead of a time (a run lasts 0.8 s of each 1.8 s).
        // Each listing is a poll of the real state (a CLI process takes tens of milliseconds).
        var listing = ""
        let deadline = Date().addingTimeInterval(10)
        while !listing.contains("after run "), Date() < deadline {
            listing = try await h.cli(["jobs"]).out
        }
        #expect(listing.contains("every 1s from end") && listing.contains("after run "), "\(listing)")
        #expect(await h.waitUntil(timeout: 15) {
            try h.runs(of: "c").filter { $0.summary.status == .succeeded }.count >= 3
        }, "\(h.log)")
        #expect(await h.stopDaemon() == 0)
        let runs = try h.runs(of: "c").filter { $0.summary.status == .succeeded }.sorted { $0.id < $1.id }
        #expect(runs.first?.summary.trigger == .schedule)
        for (previous, next) in zip(runs, runs.dropFirst()) {
            let ended = try #require(previous.summary.finishedAt)
            let started = try #require(next.summary.startedAt)
            let gap = started.timeIntervalSince(ended)
            #expect(gap >= 0.99 && gap < 1.9, "run \(next.id) started \(gap)s after run \(previous.id) ended")
            #expect(next.summary.scheduledAt >= ended.addingTimeInterval(0.99), "its scheduled time is its fire time")
        }
        let ticks = try h.ticks("c")
        #expect(ticks.allSatisfy { $0.decision == .started }, "\(ticks)")
    }
}
