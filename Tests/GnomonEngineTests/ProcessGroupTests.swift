import Foundation
import GnomonCore
import GnomonEngine
import GnomonTesting
import Testing

/// Nothing a task starts may outlive its attempt: the whole process group goes with it.
@Suite("Process groups")
struct ProcessGroupTests {
    enum Ending: Sendable { case exits, timesOut, isCancelled }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// The task's line after it started a long `sleep &` and wrote the grandchild's pid.
        let rest: String
        let ending: Ending
        let outcome: AttemptOutcome
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a clean exit takes the background grandchild with it", rest: "exit 0", ending: .exits, outcome: .exited(code: 0)),
        Case(name: "a failing exit takes the background grandchild with it", rest: "exit 4", ending: .exits, outcome: .exited(code: 4)),
        Case(name: "a timeout kills the grandchild too", rest: "wait", ending: .timesOut, outcome: .timedOut),
        Case(name: "a cancelled run kills the grandchild too", rest: "wait", ending: .isCancelled, outcome: .cancelled),
    ]

    @Test("the grandchild is gone once the attempt has ended", arguments: cases)
    func grandchildIsKilled(_ c: Case) async throws {
        let home = try TemporaryHome()
        let pidFile = home.path("grandchild.pid")
        let job = JobBuilder("family", directory: home.jobs)
            .task("parent", run: "sleep \(TestTiming.longSleep) & echo $! > '\(pidFile)'; \(c.rest)",
                  timeout: c.ending == .timesOut ? duration("500ms") : nil)
            .build()
        let control = RunControl()
        let engine = try home.engine(killGrace: duration("2s"))
        let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date())
        let running = Task { try await execute(prepared, engine: engine, control: control) }

        let grandchild = try #require(await ProcessProbe.waitForPID(in: pidFile))
        if c.ending == .isCancelled { control.cancel(reason: "stopped by the test") }
        let finished = try await running.value

        #expect(finished.outcomes("parent") == [c.outcome])
        #expect(await ProcessProbe.waitUntilGone(grandchild), "grandchild \(grandchild) outlived its attempt")
        let attempt = try #require(finished.detail.attempts(of: "parent").first)
        #expect(attempt.pgid == attempt.pid, "each attempt leads its own process group")
    }
}
