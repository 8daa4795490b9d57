import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// Smoke tests of the real `gnomon daemon` binary with real processes, a real clock and real
/// signals, one test at a time (they time schedules to the second, so they must not compete for
/// the two cores). What the daemon decides is tested in-process on a manual clock (Daemon*Tests);
/// these check that the binary wires it to the wall clock, signals and the CLI, plus the faults
/// only a real process can have (SIGKILL, in DaemonIntegrationTests+Recovery.swift).
@Suite(.serialized, .timeLimit(.minutes(3)))
struct DaemonIntegrationTests {
    @Test
    func everySecondJobFiresOncePerSecondOnTimeAndSIGTERMStopsCleanly() async throws {
        let h = try DaemonHarness()
        try h.write(job: "tick", "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"true\" }\n")
        try await h.startDaemon()
        #expect(await h.waitUntil(timeout: 6) {
            try h.runs(of: "tick").filter { $0.summary.status == .succeeded }.count >= 3
        }, "\(h.log)")
        #expect(await h.stopDaemon() == 0)
        #expect(!FileManager.default.fileExists(atPath: h.home + "/daemon.pid"))

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

    /// `trigger` (SIGUSR1), `pause`, `resume`, `jobs`, a second daemon and SIGHUP against a daemon.
    @Test
    func theCLIAndSignalsReachTheDaemon() async throws {
        let h = try DaemonHarness()
        try h.write(job: "manual", "tasks:\n  m: { run: \"echo x=$GNOMON_PARAM_X\" }\n")
        try h.write(job: "fails", "tasks:\n  f: { run: \"exit 3\" }\n")
        try h.write(job: "tick", "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"true\" }\n")
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

        // A second daemon on the home refuses, naming the first.
        let pid = try #require(h.daemon?.pid)
        let second = try await h.cli(["daemon"])
        #expect(second.status == 4)
        #expect(second.err.contains("process \(pid)"), "\(second.err)")

        // Pause and resume (what they decide is in DaemonControlTests).
        #expect(try await h.cli(["pause", "tick"]).status == 0)
        let trigger = try await h.cli(["trigger", "tick", "--wait"])
        #expect(trigger.status == 0, "a paused job still runs when triggered: \(trigger)")
        let jobs = try await h.cli(["jobs", "--json"])
        #expect(jobs.out.contains("\"paused\" : true"), "\(jobs.out)")
        #expect(await h.waitUntil(timeout: 3) { try h.ticks("tick").last?.decision == .paused })
        let resumedAt = Date()
        #expect(try await h.cli(["resume", "tick"]).status == 0)
        #expect(await h.waitUntil(timeout: 4) {
            try h.ticks("tick").contains { $0.decision == .started && $0.fireTime > resumedAt }
        })
        #expect(try await h.cli(["pause", "nosuchjob"]).status == 3)

        // SIGHUP reloads at once; a broken file is logged with file:line and listed by `jobs`.
        try h.write(job: "manual", "tasks:\n  m: { run: \"echo v3\", retry: lots }\n")
        h.daemon!.send(SIGHUP)
        #expect(await h.waitUntil(timeout: 4) { h.log.contains("manual.yaml:2:") }, "\(h.log)")
        #expect(h.log.contains("SIGHUP"))
        let listing = try await h.cli(["jobs"])
        #expect(listing.out.contains("INVALID") && listing.out.contains("manual.yaml:2"), "\(listing.out)")

        #expect(await h.stopDaemon() == 0)
        let noDaemon = try await h.cli(["trigger", "manual"])
        #expect(noDaemon.status == 4 && noDaemon.err.contains("no gnomon daemon runs"), "\(noDaemon)")
    }
}
