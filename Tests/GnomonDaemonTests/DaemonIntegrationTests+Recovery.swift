import Foundation
import GnomonCore
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing

extension DaemonIntegrationTests {
    /// A task that sleeps 30 s until `marker` exists, then succeeds at once.
    static func waitsForMarker(_ marker: String, retry: Int = 0) -> String {
        """
        tasks:
          t: { run: "if [ -f \(marker) ]; then echo done; else sleep 30; fi", retry: \(retry) }
        """
    }

    @Test
    func aKilledDaemonsTasksAreStoppedRecordedLostAndRetriedFree() async throws {
        let h = try DaemonHarness()
        let marker = h.root + "/marker"
        try h.write(job: "orphan", Self.waitsForMarker(marker, retry: 0))
        try h.write(job: "fg", "tasks:\n  t: { run: \"sleep 3\" }\n")
        try await h.startDaemon()
        let id = try #require(Int64(try await h.cli(["trigger", "orphan"]).out.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await h.waitUntil(timeout: 5) { try h.store().run(id)?.attempts.first?.pgid != nil })
        let pgid = try #require(try h.store().run(id)?.attempts.first?.pgid)
        await h.stopDaemon(signal: SIGKILL)
        #expect(ProcessProbe.groupIsRunning(pgid), "the task outlives a SIGKILLed daemon")

        // A foreground run alive while the next daemon starts is not taken from its runner.
        let foreground = try h.launch(["run", "fg", "--jobs", h.jobs, "--home", h.home])
        #expect(await h.waitUntil(timeout: 5) { try h.runs(of: "fg").first?.attempts.isEmpty == false })

        FileManager.default.createFile(atPath: marker, contents: nil)
        try await h.startDaemon()
        #expect(await h.waitUntil(timeout: 10) { try h.store().run(id)?.summary.status == .succeeded }, "\(h.log)")
        #expect(!ProcessProbe.groupIsRunning(pgid))
        let run = try #require(try h.store().run(id))
        #expect(run.attempts.first?.outcome == .lost)
        #expect(run.attempts.last?.outcome == .exited(code: 0), "retry limit 0, yet the lost attempt was retried")
        #expect(await foreground.exitCode() == 0)
        let fg = try #require(try h.runs(of: "fg").first)
        #expect(fg.summary.status == .succeeded && fg.summary.runnerPID == foreground.pid)
        #expect(!h.log.contains("run=\(fg.id) "), "the daemon touched the foreground run:\n\(h.log)")
        await h.stopDaemon()
    }

    /// SIGKILLs the daemon at random points of a busy workload many times, then checks that
    /// nothing was run twice, lost or left running, and that every attempt's log is on disk.
    @Test
    func randomSIGKILLsLoseNothingAndDuplicateNothing() async throws {
        let h = try DaemonHarness()
        try h.write(job: "graph", """
            schedule: "@every 1s"
            tasks:
              a: { run: "sleep 0.2" }
              b: { run: "sleep 0.3", depends_on: [a] }
              c: { run: "echo c", after: [a] }
            """)
        try h.write(job: "queued", "schedule: \"@every 1s\"\noverlap: queue\ntasks:\n  a: { run: \"sleep 0.7\" }\n")
        try h.write(job: "flaky", "schedule: \"@every 2s\"\ncatchup: all\ntasks:\n  a: { run: \"exit 1\", retry: { limit: 1, delay: 200ms } }\n")
        try h.write(job: "manual", "tasks:\n  a: { run: \"sleep 0.4\" }\n")
        var generator = SystemRandomNumberGenerator()
        var triggers: [TestProcess] = []
        let began = Date()
        for cycle in 0..<20 {
            try await h.startDaemon(waitReady: cycle % 4 != 3)
            if cycle % 3 == 0 {
                triggers.append(try h.launch(["trigger", "manual", "--jobs", h.jobs, "--home", h.home]))
            }
            // Not a wait for an event: the daemon runs for a random while, so the SIGKILL lands at a
            // random point of the workload.
            try await Task.sleep(for: .milliseconds(Int.random(in: 30...1400, using: &generator)))
            await h.stopDaemon(signal: SIGKILL)
        }
        // A last daemon finishes what is left; then the schedules are paused and it drains.
        try await h.startDaemon()
        for job in ["graph", "queued", "flaky"] { _ = try await h.cli(["pause", job]) }
        let settled = await h.waitUntil(timeout: 20) { try h.store().unfinishedRuns().isEmpty }
        #expect(await h.stopDaemon() == 0)
        for trigger in triggers { _ = await trigger.status() }
        print("fault test: 20 SIGKILL cycles in \(Int(Date().timeIntervalSince(began))) s")
        let left = try h.store().unfinishedRuns().map(\.id)
        #expect(settled, "runs left unfinished: \(left)")

        let runs = try h.runs()
        #expect(runs.count > 20)
        let scheduled = runs.filter { $0.summary.trigger != .manual }.map { "\($0.summary.job) \($0.summary.scheduledAt)" }
        #expect(Set(scheduled).count == scheduled.count, "a scheduled time has two runs")
        for run in runs {
            #expect(run.summary.status.isFinished, "run \(run.id) is \(run.summary.status)")
            for attempt in run.attempts {
                #expect(attempt.outcome != nil, "run \(run.id) \(attempt.task) #\(attempt.number) left running")
                #expect(FileManager.default.fileExists(atPath: attempt.logPath), "log missing: \(attempt.logPath)")
                if let pgid = attempt.pgid { #expect(!ProcessProbe.groupIsRunning(pgid)) }
            }
        }
        // Every trigger request got its run.
        let store = try h.store()
        var request: Int64 = 1
        while let found = try store.triggerRequest(request) {
            #expect(found.runID != nil, "trigger request \(request) has no run: \(found)")
            request += 1
        }
        #expect(request > 1)
        // Nothing is silent: every second between the first and last fire time was decided.
        let ticks = try h.ticks("graph").map(\.fireTime.timeIntervalSince1970)
        let first = try #require(ticks.first), last = try #require(ticks.last)
        let missing = Set(stride(from: first, through: last, by: 1)).subtracting(ticks)
        #expect(missing.isEmpty, "fire times with no decision: \(missing.sorted().map { Date(timeIntervalSince1970: $0) })")
    }
}

extension DaemonIntegrationTests {
    @Test
    func killAndRetryWorkOnTheDaemonsRuns() async throws {
        let h = try DaemonHarness()
        let marker = h.root + "/marker"
        try h.write(job: "long", Self.waitsForMarker(marker))
        try await h.startDaemon()
        let outPath = h.root + "/trigger.out"
        let trigger = try h.launch(["trigger", "long", "--wait", "--jobs", h.jobs, "--home", h.home], stdout: outPath)
        #expect(await h.waitUntil(timeout: 5) {
            (try String(contentsOfFile: outPath, encoding: .utf8)).contains("\n")
        })
        let firstLine = try String(contentsOfFile: outPath, encoding: .utf8).split(separator: "\n").first ?? ""
        let id = try #require(Int64(firstLine))
        #expect(await h.waitUntil(timeout: 5) { try h.store().run(id)?.attempts.first?.pgid != nil })

        let kill = try await h.cli(["kill", String(id)])
        #expect(kill.status == 0 && kill.out.contains("cancelled"), "\(kill)")
        #expect(await trigger.exitCode() == 5, "trigger --wait exits 5 for a cancelled run")

        // Retry runs in the foreground, beside the daemon, which leaves the run to it.
        FileManager.default.createFile(atPath: marker, contents: nil)
        let retry = try await h.cli(["retry", String(id)])
        #expect(retry.status == 0, "\(retry)")
        let run = try #require(try h.store().run(id))
        #expect(run.summary.status == .succeeded)
        #expect(run.attempts.map(\.number) == [1, 2])
        #expect(await h.stopDaemon() == 0)
    }
}
