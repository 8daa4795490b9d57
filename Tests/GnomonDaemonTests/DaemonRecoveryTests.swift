import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing
@testable import GnomonDaemon

/// Shutdown and recovery with a daemon in the test process on a manual clock; the real SIGKILL
/// faults stay with the `gnomon` binary (DaemonIntegrationTests+Recovery.swift).
@Suite(.timeLimit(.minutes(2)))
struct DaemonRecoveryTests {
    /// A task that sleeps until `marker` exists (it is killed long before), then succeeds at once.
    static func waitsForMarker(_ marker: String) -> String {
        "tasks:\n  t: { run: \"if [ -f \(marker) ]; then echo done; else sleep \(TestTiming.longSleep); fi\", retry: 0 }\n"
    }

    @Test
    func shutdownDrainsAndTheNextStartRetriesTheInterruptedTask() async throws {
        let d = try ClockedDaemon()
        d.options.shutdownGrace = .seconds(1)
        let marker = d.root + "/marker"
        try d.write(job: "long", Self.waitsForMarker(marker))
        try await d.start()
        let store = try d.store()
        let request = try store.addTriggerRequest(job: "long", params: [:], at: d.clock.now())
        d.post(.triggers)
        #expect(await eventually(within: TestTiming.patience) {
            try store.triggerRequest(request)?.runID.flatMap { try store.run($0) }?.attempts.first?.pgid != nil
        }, "\(d.logs.text)")
        let id = try #require(try store.triggerRequest(request)?.runID)
        let pgid = try #require(try store.run(id)?.attempts.first?.pgid)

        // The grace is on the manual clock, which `stop` moves on at once; then the task gets
        // SIGTERM, which ends `sleep` at once, well inside the 1 s kill grace.
        let began = ContinuousClock.now
        try await d.stop()
        let took = ContinuousClock.now - began
        #expect(took < .seconds(2), "shutdown took \(took) with the grace passed and a 1 s kill grace")
        let drained = try #require(try store.run(id))
        #expect(drained.summary.status == .running, "a drained run stays unfinished")
        #expect(drained.attempts.first?.outcome == .interrupted)
        #expect(!ProcessProbe.groupIsRunning(pgid))

        FileManager.default.createFile(atPath: marker, contents: nil)
        try await d.start()
        #expect(await eventually(within: TestTiming.patience) { try store.run(id)?.summary.status == .succeeded }, "\(d.logs.text)")
        let finished = try #require(try store.run(id))
        #expect(finished.attempts.map(\.number) == [1, 2], "the interrupted attempt does not use up the retry limit 0")
        #expect(finished.attempts.last?.outcome == .exited(code: 0))
        try await d.stop()
    }

    @Test
    func aTaskSpawnedButNeverRecordedIsFoundByItsLogAndStopped() async throws {
        let d = try ClockedDaemon()
        let marker = d.root + "/marker"
        try d.write(job: "ghost", Self.waitsForMarker(marker))
        // A dead daemon's run: created, its first attempt spawned with its log as output, but the
        // attempt never recorded.
        let spec = JobSpec(
            name: "ghost", tasks: [TaskSpec(name: "t", action: .shell("if [ -f \(marker) ]; then echo done; else sleep 30; fi"))],
            directory: d.jobs)
        let id = try d.store().createRun(NewRun(
            job: "ghost", trigger: .manual, scheduledAt: d.clock.now(), createdAt: d.clock.now(), snapshot: spec,
            runnerPID: 999_999, runnerInstance: "daemon-dead", tasks: [NewTask(name: "t")]))
        let log = "\(d.home)/logs/ghost/\(id)/t.1.log"
        try FileManager.default.createDirectory(atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: log, contents: nil)
        // In a session of its own, so its pid is its group, as a task's would be.
        let ghost = try TestProcess.start(
            ["/bin/sh", "-c", "echo ghost; exec sleep \(TestTiming.longSleep)"], environment: ["PATH": "/usr/bin:/bin"], stdout: log)
        defer { if ghost.isRunning { ghost.send(SIGKILL, group: true) } }
        #expect(await eventually(within: TestTiming.patience) { (try String(contentsOfFile: log, encoding: .utf8)) == "ghost\n" })
        let pgid = ghost.pid
        #expect(ProcessProbe.groupIsRunning(pgid) && getpgid(pgid) == pgid)

        FileManager.default.createFile(atPath: marker, contents: nil)
        try await d.start()
        #expect(await eventually(within: TestTiming.patience) { try d.store().run(id)?.summary.status == .succeeded }, "\(d.logs.text)")
        #expect(await eventually(within: TestTiming.patience) { !ProcessProbe.groupIsRunning(pgid) }, "the unrecorded task was not stopped")
        #expect(await ghost.status() == .signalled(signal: SIGTERM), "recovery's SIGTERM ended it")
        let run = try #require(try d.store().run(id))
        #expect(run.attempts.map(\.number) == [2], "attempt 1's log exists, so the next attempt is 2")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "ghost\n", "attempt 1's log was not touched")
        try await d.stop()
    }
}
