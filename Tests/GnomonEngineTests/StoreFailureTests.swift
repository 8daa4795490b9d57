import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore
import GnomonTesting
import Testing

/// A write that fails mid-run: the run stops instead of going on unrecorded.
@Suite("A failing store")
struct StoreFailureTests {
    @Test("a failed write cancels the run, starts nothing unrecorded and does not hang")
    func failedWriteStopsTheRun() async throws {
        let home = try TemporaryHome()
        let started = home.path("a-started")
        let ranB = home.path("b-ran")
        let job = JobBuilder("fragile", directory: home.jobs)
            .task("a", run: "echo x > '\(started)'; sleep 1")
            .task("b", run: "echo x > '\(ranB)'", dependsOn: ["a"])
            .build()
        let engine = try home.engine()
        let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date())
        let running = Task { await engine.execute(prepared) }
        #expect(await ProcessProbe.waitForLine(in: started) != nil)

        // Another process removes task b's row behind the engine's back, so recording b as
        // ready (in the same transaction as a's end) fails.
        // `.timeout`: the engine may be committing a's start at that moment; the shell, which has
        // no busy timeout of its own, would fail with "database is locked" instead of waiting.
        let sqlite = try TestProcess.start(
            ["sqlite3", "-cmd", ".timeout 5000", home.database,
             "PRAGMA foreign_keys=OFF; DELETE FROM run_tasks WHERE run_id=\(prepared.id) AND task='b';"],
            environment: ProcessInfo.processInfo.environment)
        #expect(await sqlite.exitCode() == 0)

        let status = await running.value
        #expect(status == .cancelled)
        #expect(!FileManager.default.fileExists(atPath: ranB), "b started although its start could not be recorded")
        // a's end was in the failed transaction: the store still shows it running, for recovery.
        let detail = try #require(try engine.store.run(prepared.id))
        #expect(detail.attempts.map(\.task) == ["a"])
        #expect(detail.summary.status == .running)
    }
}
