import Foundation
import GnomonCore
import GnomonStore
import Testing

/// The real `gnomon daemon` binary with real processes, one test at a time (each one times
/// schedules to the second, so they must not compete for the two cores).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DaemonIntegrationTests {
    @Test
    func everySecondJobFiresOncePerSecondOnTime() async throws {
        let h = try DaemonHarness()
        try h.write(job: "tick", "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"true\" }\n")
        try await h.startDaemon()
        try await Task.sleep(for: .milliseconds(3600))
        #expect(await h.stopDaemon() == 0)

        let runs = try h.runs(of: "tick").filter { $0.summary.trigger == .schedule }
        #expect(runs.count >= 3, "\(h.log)")
        let times = runs.map(\.summary.scheduledAt)
        #expect(Set(times).count == times.count, "a fire time ran twice")
        for run in runs {
            #expect(run.summary.scheduledAt.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0)
            let late = try #require(run.attempts.first).startedAt.timeIntervalSince(run.summary.scheduledAt)
            #expect(late >= 0 && late < 1, "run \(run.id) started \(late)s after its time")
        }
        // Every second between the first and last fire time was considered.
        let ticks = try h.ticks("tick").map(\.fireTime.timeIntervalSince1970)
        let first = try #require(ticks.first), last = try #require(ticks.last)
        #expect(Set(ticks) == Set(stride(from: first, through: last, by: 1)))
    }

    @Test
    func jitterDelaysTheStartButKeepsTheScheduledTime() async throws {
        let h = try DaemonHarness()
        try h.write(job: "jit", """
            schedule: { cron: "@every 2s", jitter: 1500ms }
            tasks:
              a: { run: "true" }
            """)
        try await h.startDaemon()
        try await Task.sleep(for: .seconds(7))
        await h.stopDaemon()
        let runs = try h.runs(of: "jit")
        #expect(runs.count >= 2)
        var delays: [Double] = []
        for run in runs {
            #expect(run.summary.scheduledAt.timeIntervalSince1970.truncatingRemainder(dividingBy: 2) == 0)
            let delay = try #require(run.attempts.first).startedAt.timeIntervalSince(run.summary.scheduledAt)
            #expect(delay >= 0 && delay < 2.0)
            delays.append(delay)
        }
        // Four draws all under 50 ms would mean no jitter at all (chance about 3e-6).
        #expect(delays.contains { $0 > 0.05 }, "delays \(delays)")
    }

    @Test
    func triggerStartsARunWithinASecondAndWaitGivesItsOutcome() async throws {
        let h = try DaemonHarness()
        try h.write(job: "manual", "tasks:\n  m: { run: \"echo x=$GNOMON_PARAM_X\" }\n")
        try h.write(job: "fails", "tasks:\n  f: { run: \"exit 3\" }\n")
        try await h.startDaemon()
        var latencies: [Double] = []
        for index in 0..<7 {
            let began = Date()
            let result = try await h.cli(["trigger", "manual", "--param", "X=\(index)"])
            #expect(result.status == 0, "\(result.err)")
            let id = try #require(Int64(result.out.trimmingCharacters(in: .whitespacesAndNewlines)))
            let started = await h.waitUntil(timeout: 5) { try h.store().run(id)?.attempts.isEmpty == false }
            #expect(started)
            let attempt = try #require(try h.store().run(id)?.attempts.first)
            latencies.append(attempt.startedAt.timeIntervalSince(began))
            #expect(await h.waitUntil(timeout: 5) { h.output(attempt).contains("x=\(index)") })
        }
        let median = latencies.sorted()[latencies.count / 2]
        print("trigger to first task started: median \(Int(median * 1000)) ms, max \(Int(latencies.max()! * 1000)) ms")
        #expect(latencies.allSatisfy { $0 < 1.0 }, "\(latencies)")

        let failed = try await h.cli(["trigger", "fails", "--wait"])
        #expect(failed.status == 1 && failed.out.contains("failed"), "\(failed)")
        let succeeded = try await h.cli(["trigger", "manual", "--wait"])
        #expect(succeeded.status == 0 && succeeded.out.contains("succeeded"), "\(succeeded)")
        let unknown = try await h.cli(["trigger", "manul"])
        #expect(unknown.status == 3 && unknown.err.contains("did you mean \"manual\""), "\(unknown)")
        await h.stopDaemon()
        let noDaemon = try await h.cli(["trigger", "manual"])
        #expect(noDaemon.status == 4 && noDaemon.err.contains("no gnomon daemon runs"), "\(noDaemon)")
    }

    @Test
    func aSecondDaemonRefusesNamingTheFirst() async throws {
        let h = try DaemonHarness()
        try h.write(job: "idle", "tasks:\n  a: { run: \"true\" }\n")
        try await h.startDaemon()
        let pid = try #require(h.daemon?.processIdentifier)
        let second = try await h.cli(["daemon"])
        #expect(second.status == 4)
        #expect(second.err.contains("process \(pid)"), "\(second.err)")
        #expect(await h.stopDaemon() == 0)
        #expect(!FileManager.default.fileExists(atPath: h.home + "/daemon.pid"))
    }

    @Test
    func pauseRecordsPausedTimesAndTriggersStillRun() async throws {
        let h = try DaemonHarness()
        try h.write(job: "tick", "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"true\" }\n")
        try h.write(job: "sleepy", "schedule: \"@every 1s\"\npaused: true\ntasks:\n  a: { run: \"true\" }\n")
        try await h.startDaemon()
        #expect(await h.waitUntil(timeout: 4) { try h.ticks("tick").contains { $0.decision == .started } })

        #expect(try await h.cli(["pause", "tick"]).status == 0)
        let pausedAt = Date()
        try await Task.sleep(for: .milliseconds(2500))
        let trigger = try await h.cli(["trigger", "tick", "--wait"])
        #expect(trigger.status == 0, "a paused job still runs when triggered: \(trigger)")
        let jobs = try await h.cli(["jobs", "--json"])
        #expect(jobs.out.contains("\"paused\" : true"), "\(jobs.out)")
        let resumedAt = Date()
        #expect(try await h.cli(["resume", "tick"]).status == 0)
        #expect(await h.waitUntil(timeout: 4) {
            try h.ticks("tick").contains { $0.decision == .started && $0.fireTime > resumedAt }
        })
        // Paused: the times in between were recorded paused and got no scheduled run.
        let ticks = try h.ticks("tick")
        let during = ticks.filter { $0.fireTime > pausedAt.addingTimeInterval(0.5) && $0.fireTime < resumedAt }
        #expect(during.count >= 2 && during.allSatisfy { $0.decision == .paused }, "\(during)")
        // The file's `paused: true` is the initial state.
        #expect(try h.ticks("sleepy").allSatisfy { $0.decision == .paused })
        #expect(try h.runs(of: "sleepy").isEmpty)
        #expect(try await h.cli(["pause", "nosuchjob"]).status == 3)
        await h.stopDaemon()
    }
}
