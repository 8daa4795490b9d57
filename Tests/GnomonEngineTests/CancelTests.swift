import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore
import GnomonTesting
import Testing

/// Stopping a run: through its `RunControl` (Ctrl-C in `gnomon run`) or a cancel request
/// written to the store by another process (`gnomon kill`).
@Suite("Cancelling runs")
struct CancelTests {
    enum Source: Sendable { case control, storeRequest }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let source: Source
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "RunControl.cancel (what Ctrl-C does)", source: .control),
        Case(name: "a cancel request in the store from another connection (what gnomon kill does)", source: .storeRequest),
    ]

    @Test("running tasks are killed, waiting ones cancelled, the run recorded cancelled with the reason", arguments: cases)
    func cancel(_ c: Case) async throws {
        let home = try TemporaryHome()
        let started = home.path("started")
        let job = JobBuilder("long", directory: home.jobs)
            .task("a", run: "echo x > '\(started)'; sleep \(TestTiming.longSleep)")
            .task("b", run: "sleep \(TestTiming.longSleep)")
            .task("c", run: "true", dependsOn: ["a"])
            .task("d", run: "true", after: ["b"])
            .build()
        let engine = try home.engine(killGrace: duration("2s"))
        let control = RunControl()
        let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date())
        let running = Task { try await execute(prepared, engine: engine, control: control) }
        #expect(await ProcessProbe.waitForLine(in: started) != nil)

        let clock = ContinuousClock()
        let asked = clock.now
        switch c.source {
        case .control:
            control.cancel(reason: "interrupted (Ctrl-C)")
        case .storeRequest:
            let other = try home.openStore()
            #expect(try other.requestCancel(run: prepared.id, reason: "killed by a test", at: Date()))
        }
        let finished = try await running.value
        let took = clock.now - asked
        let reason = c.source == .control ? "interrupted (Ctrl-C)" : "killed by a test"

        #expect(finished.status == .cancelled)
        #expect(finished.detail.summary.reason == reason)
        #expect(finished.statuses == ["a": .cancelled, "b": .cancelled, "c": .cancelled, "d": .cancelled])
        #expect(finished.outcomes("a") == [.cancelled])
        #expect(finished.outcomes("b") == [.cancelled])
        #expect(finished.outcomes("c").isEmpty)
        #expect(finished.task("c").reason == reason)
        // The tasks sleep for minutes; stopping them takes a SIGTERM, within the 1 s kill grace (and
        // the store request a 100 ms poll).
        #expect(took.seconds < TestTiming.stopBound(1), "stopping took \(took)")
        for attempt in finished.detail.attempts {
            #expect(attempt.pid.map { ProcessProbe.isGone($0) } == true, "\(attempt.task) still alive")
        }
    }

    @Test("a cancel asked before the run starts stops it before any task")
    func cancelBeforeStart() async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("never", directory: home.jobs).task("a", run: "sleep \(TestTiming.longSleep)").build()
        let control = RunControl()
        control.cancel(reason: "too late")
        let finished = try await runToEnd(job, in: home, control: control)
        #expect(finished.status == .cancelled)
        #expect(finished.detail.summary.reason == "too late")
        // Stopped before any process: nothing to wait for at all.
        #expect(finished.elapsed.seconds < TestTiming.stopBound(0), "the long task was not stopped: \(finished.elapsed)")
        #expect(finished.statuses == ["a": .cancelled])
        #expect(finished.outcomes("a").allSatisfy { $0 == .cancelled })
        // An attempt is recorded only if its process existed, and then its log exists too.
        for attempt in finished.detail.attempts {
            #expect(attempt.pid != nil, "attempt \(attempt.number) recorded without a process")
            #expect(FileManager.default.fileExists(atPath: attempt.logPath), "attempt \(attempt.number) has no log")
        }
    }

    @Test("an attempt cancelled before its process existed leaves no attempt record")
    func cancelledBeforeProcess() async throws {
        let home = try TemporaryHome()
        let executor = RecordingExecutor()
        executor.script("a", .cancelledBeforeStart)
        let job = JobBuilder("never", directory: home.jobs).task("a", run: "(not run)").task("b", run: "(not run)", dependsOn: ["a"]).build()
        let engine = try home.engine(executor: executor)
        let control = RunControl()
        let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date())
        let running = Task { try await execute(prepared, engine: engine, control: control) }
        #expect(await eventually(within: TestTiming.patience) { executor.launches.count == 1 })
        control.cancel(reason: "stopped by the test")
        let finished = try await running.value

        #expect(finished.status == .cancelled)
        #expect(finished.statuses == ["a": .cancelled, "b": .cancelled])
        #expect(finished.detail.attempts.isEmpty, "\(finished.detail.attempts)")
        #expect(finished.task("a").attempts == 0)
    }
}

/// A run cancelled and drained at once (a `gnomon kill` or an overlap `replace` meeting a
/// daemon shutdown) ends cancelled, its killed attempt recorded cancelled, whichever comes first.
@Suite("Cancelling a run while it drains")
struct CancelWhileDrainingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let cancelFirst: Bool
        var testDescription: String { name }
    }

    @Test("the run ends cancelled and its attempt is cancelled, not interrupted", arguments: [
        Case(name: "cancel, then drain", cancelFirst: true),
        Case(name: "drain, then cancel", cancelFirst: false),
    ])
    func cancelAndDrain(_ c: Case) async throws {
        let home = try TemporaryHome()
        let started = home.path("started")
        let job = JobBuilder("long", directory: home.jobs)
            .task("a", run: "echo x > '\(started)'; sleep \(TestTiming.longSleep)")
            .build()
        let engine = try home.engine(killGrace: duration("1s"))
        let control = RunControl()
        let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date())
        let running = Task { try await execute(prepared, engine: engine, control: control) }
        #expect(await ProcessProbe.waitForLine(in: started) != nil)

        if c.cancelFirst {
            control.cancel(reason: "replaced")
            control.drain(grace: .zero)
        } else {
            control.drain(grace: .zero)
            control.cancel(reason: "replaced")
        }
        let finished = try await running.value
        #expect(finished.status == .cancelled)
        #expect(finished.statuses == ["a": .cancelled])
        #expect(finished.outcomes("a") == [.cancelled])
        // SIGTERM ends `sleep` at once; the bound is the 1 s kill grace and a second.
        #expect(finished.elapsed.seconds < TestTiming.stopBound(1), "\(finished.elapsed)")
    }
}
