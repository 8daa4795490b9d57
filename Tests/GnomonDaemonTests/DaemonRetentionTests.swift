import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// The daemon prunes on its own clock: each job's `keep:` over the settings file's, real runs
/// with real log files, a consistent database afterwards.
@Suite(.timeLimit(.minutes(2)))
struct DaemonRetentionTests {
    @Test
    func prunesEveryIntervalOnItsClockByEachJobsPolicy() async throws {
        let d = try ClockedDaemon(polls: (reload: .seconds(60), triggers: .seconds(60)))
        let settings = d.root + "/gnomon.yaml"
        try "keep: { runs: 2 }\n".write(toFile: settings, atomically: true, encoding: .utf8)
        d.options.configPath = settings
        // Passes at 350 s and 700 s: between the minutes, so a pass never meets a run starting.
        d.options.pruneInterval = .seconds(350)
        try d.write(job: "three", "schedule: \"* * * * *\"\nkeep: { runs: 3 }\ntasks:\n  a: { run: \"echo three\" }\n")
        try d.write(job: "fallback", "schedule: \"* * * * *\"\ntasks:\n  a: { run: \"echo fallback\" }\n")
        try await d.start()
        try await d.advance(to: ClockedDaemon.at(340))
        #expect(try d.runs(of: "three").count == 5, "nothing is pruned before the first pass")
        try await d.advance(to: ClockedDaemon.at(710))
        // The pass at 700 s saw the runs of 60 s ... 660 s.
        let pruned = await eventually(within: TestTiming.patience) {
            try d.runs(of: "three").count == 3 && d.runs(of: "fallback").count == 2
        }
        let kept = try d.runs()
        #expect(pruned, "\(kept.map { "\($0.summary.job) \($0.id)" })\n\(d.logs.text)")
        #expect(Set(try d.runs(of: "three").map(\.summary.scheduledAt)) == Set([540.0, 600, 660].map(ClockedDaemon.at)))
        #expect(Set(try d.runs(of: "fallback").map(\.summary.scheduledAt)) == Set([600.0, 660].map(ClockedDaemon.at)))
        // The pass logs its summary after its last transaction: wait for the line, not only the rows.
        #expect(await eventually(within: TestTiming.patience) { d.logs.contains("pruned history") })

        // Every other run's log folder is gone; the kept runs' logs are there.
        let highest = try #require(kept.map(\.id).max())
        let keptIDs = Set(kept.map(\.id))
        for id in 1...highest where !keptIDs.contains(id) {
            for job in ["three", "fallback"] {
                #expect(!FileManager.default.fileExists(atPath: "\(d.home)/logs/\(job)/\(id)"), "run \(id)'s logs")
            }
            #expect(try d.store().prunedRun(id) != nil, "run \(id) is known as pruned")
        }
        for run in kept {
            #expect(d.folders.read(try #require(run.attempts.first).logPath) == "\(run.summary.job)\n")
        }
        // The newest tick of each job is kept, and the ticks of the kept runs.
        #expect(try d.ticks("three").last?.fireTime == ClockedDaemon.at(660))
        try await PrunerTests.expectConsistent(d.folders.database)

        // Both jobs fire on as before.
        try await d.advance(to: ClockedDaemon.at(790))
        #expect(try d.runs(of: "three").last?.summary.scheduledAt == ClockedDaemon.at(780))
        try await d.stop()
    }
}
