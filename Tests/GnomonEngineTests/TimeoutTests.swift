import Foundation
import GnomonCore
import GnomonEngine
import GnomonTesting
import Testing

@Suite("Timeouts")
struct TimeoutTests {
    struct TaskTimeoutCase: CustomTestStringConvertible, Sendable {
        let name: String
        let script: String
        let timeout: Duration
        let grace: Duration
        /// Bounds on how long the attempt lasted, in seconds. The upper ones are loose (a loaded
        /// machine adds to every wait); the task would otherwise sleep for minutes, or the grace a minute.
        let atLeast: Double
        let atMost: Double
        var testDescription: String { name }
    }

    static let taskCases: [TaskTimeoutCase] = [
        TaskTimeoutCase(
            name: "a task that obeys SIGTERM ends at its timeout, well within the grace",
            script: "sleep \(TestTiming.longSleep)", timeout: duration("300ms"), grace: duration("60s"), atLeast: 0.29, atMost: TestTiming.stopBound(0.3)),
        TaskTimeoutCase(
            name: "a task that ignores SIGTERM is killed when the grace ends",
            script: "trap '' TERM; sleep \(TestTiming.longSleep)", timeout: duration("300ms"), grace: duration("500ms"), atLeast: 0.79, atMost: TestTiming.stopBound(0.8)),
    ]

    @Test("a task past its timeout is stopped and recorded timed_out", arguments: taskCases)
    func taskTimeout(_ c: TaskTimeoutCase) async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("slow", directory: home.jobs)
            .task("slow", run: c.script, timeout: c.timeout)
            .task("after", run: "true", dependsOn: ["slow"])
            .build()
        let finished = try await runToEnd(job, in: home, engine: try home.engine(killGrace: c.grace))

        #expect(finished.status == .failed)
        #expect(finished.outcomes("slow") == [.timedOut])
        #expect(finished.task("slow").reason == "attempt 1 timed out")
        #expect(finished.task("after").status == .skipped)
        let attempt = try #require(finished.detail.attempts(of: "slow").first)
        let lasted = (attempt.endedAt ?? .distantFuture).timeIntervalSince(attempt.startedAt)
        #expect(lasted >= c.atLeast && lasted <= c.atMost, "attempt lasted \(lasted)s")
    }

    @Test("a run past its timeout fails with the reason, its running task killed and the rest cancelled")
    func runTimeout() async throws {
        // Real processes, but the engine's clock is manual: the deadline passes exactly when the
        // test says, after the slow task has certainly started.
        let home = try TemporaryHome()
        let started = home.path("started")
        let clock = ManualClock()
        let job = JobBuilder("deadline", directory: home.jobs)
            .task("quick", run: "true")
            .task("slow", run: "echo x > '\(started)'; sleep \(TestTiming.longSleep)", dependsOn: ["quick"])
            .task("next", run: "true", dependsOn: ["slow"])
            .task("cleanup", run: "true", after: ["slow"])
            .timeout(duration("30m"))
            .build()
        let engine = try home.engine(clock: clock)
        let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: clock.now())
        let running = Task { try await execute(prepared, engine: engine) }
        #expect(await ProcessProbe.waitForLine(in: started) != nil)
        #expect(await clock.waitForSleepers(1))
        #expect(clock.pendingWakes == [clock.now().addingTimeInterval(30 * 60)])
        clock.advance(by: .seconds(30 * 60))
        let finished = try await running.value

        #expect(finished.status == .failed)
        #expect(finished.detail.summary.reason == "run timeout 30m passed")
        #expect(finished.statuses == ["quick": .succeeded, "slow": .cancelled, "next": .cancelled, "cleanup": .cancelled])
        #expect(finished.outcomes("slow") == [.cancelled])
        #expect(finished.outcomes("next").isEmpty)
        #expect(finished.task("next").reason == "run timeout 30m passed")
        // From the run's start: `sleep` ends at the SIGTERM, within the engine's 1 s kill grace.
        #expect(finished.elapsed.seconds < TestTiming.stopBound(1), "the long task was not stopped: \(finished.elapsed)")
        let slow = try #require(finished.detail.attempts(of: "slow").first?.pid)
        #expect(ProcessProbe.isGone(slow))
    }

    @Test("a run timeout on the real clock")
    func runTimeoutRealClock() async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("deadline", directory: home.jobs)
            .task("slow", run: "sleep \(TestTiming.longSleep)")
            .task("next", run: "true", dependsOn: ["slow"])
            .timeout(duration("1s"))
            .build()
        let finished = try await runToEnd(job, in: home)

        #expect(finished.status == .failed)
        #expect(finished.detail.summary.reason == "run timeout 1s passed")
        #expect(finished.statuses == ["slow": .cancelled, "next": .cancelled])
        #expect(finished.elapsed.seconds >= 0.99, "ended before its deadline: \(finished.elapsed)")
        // The 1 s timeout, then a SIGTERM that ends `sleep` at once (the kill grace is 1 s).
        #expect(finished.elapsed.seconds < TestTiming.stopBound(2), "the long task was not stopped: \(finished.elapsed)")
    }
}
