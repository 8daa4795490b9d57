import Foundation
import GnomonCore
import GnomonEngine
import GnomonTesting
import Testing

@Suite("Retries")
struct RetryTests {
    @Test("a task failing twice succeeds on its third attempt; each wait is the backoff's")
    func backoffToSuccess() async throws {
        let home = try TemporaryHome()
        let count = home.path("attempts")
        let job = JobBuilder("flaky", directory: home.jobs)
            .task("flaky", run: "echo $GNOMON_ATTEMPT >> '\(count)'; [ \"$GNOMON_ATTEMPT\" -ge 3 ]",
                  retry: .quick(limit: 5, delay: duration("100ms"), backoff: 2))
            .build()
        let progress = ProgressRecorder()
        let finished = try await runToEnd(job, in: home, observer: progress)

        #expect(finished.status == .succeeded)
        #expect(finished.task("flaky").status == .succeeded)
        #expect(finished.task("flaky").attempts == 3)
        #expect(home.read("attempts") == "1\n2\n3\n")
        #expect(finished.outcomes("flaky") == [.exited(code: 1), .exited(code: 1), .exited(code: 0)])
        #expect(finished.detail.attempts(of: "flaky").map(\.number) == [1, 2, 3])

        // The engine set each retry time from the instant the attempt ended: 100 ms, then 200 ms.
        let decided = progress.retryDecisions
        #expect(decided.map(\.wait) == [0.1, 0.2])
        // And the recorded attempts waited at least that long (times are kept to the millisecond;
        // a loaded machine may add to a wait, never take from it).
        let attempts = finished.detail.attempts(of: "flaky")
        let gaps = zip(attempts, attempts.dropFirst()).map { earlier, later in
            later.startedAt.timeIntervalSince(earlier.endedAt ?? .distantFuture)
        }
        #expect(gaps.count == 2)
        if gaps.count == 2 {
            #expect(gaps[0] >= 0.099, "first wait \(gaps[0])s")
            #expect(gaps[1] >= 0.199, "second wait \(gaps[1])s")
        }
    }

    @Test("waits follow min(max_delay, delay * backoff^(k-1)) exactly, on a manual clock")
    func exactBackoffOnManualClock() async throws {
        let home = try TemporaryHome()
        let clock = ManualClock()
        let executor = RecordingExecutor()
        executor.script("flaky", .exit(1), .exit(1), .exit(1), .exit(1))
        let engine = try home.engine(executor: executor, clock: clock)
        let job = JobBuilder("flaky", directory: home.jobs)
            .task("flaky", run: "(not run)", retry: .quick(limit: 4, delay: .seconds(1), backoff: 2, maxDelay: .seconds(5)))
            .build()
        let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: clock.now())
        let control = RunControl()
        let running = Task { try await execute(prepared, engine: engine, control: control) }

        var waits: [Double] = []
        for retry in 1...4 {
            let slept = await clock.waitForSleepers(1)
            #expect(slept, "no retry timer after attempt \(retry)")
            guard slept, let wake = clock.pendingWakes.first else {
                control.cancel(reason: "the test gave up")  // so the run ends rather than hangs
                break
            }
            waits.append((wake.timeIntervalSince(clock.now()) * 1000).rounded() / 1000)
            // A millisecond early nothing starts; on time the next attempt does.
            clock.advance(to: wake.addingTimeInterval(-0.001))
            #expect(clock.pendingWakes == [wake])
            #expect(executor.launches(of: "flaky").count == retry)
            clock.advance(to: wake)
            #expect(await eventually(within: TestTiming.patience) { executor.launches(of: "flaky").count == retry + 1 })
        }
        let finished = try await running.value

        #expect(waits == [1, 2, 4, 5])
        #expect(finished.status == .succeeded)
        #expect(executor.launches(of: "flaky").map(\.attempt) == [1, 2, 3, 4, 5])
        let starts = finished.detail.attempts(of: "flaky").map { $0.startedAt.timeIntervalSince(prepared.scheduledAt) }
        #expect(starts == [0, 1, 3, 7, 12])
    }

    struct ExitCodeCase: CustomTestStringConvertible, Sendable {
        let name: String
        let script: String
        let onExitCodes: [Int32]?
        var timeout: Duration? = nil
        let outcomes: [AttemptOutcome]
        let status: TaskStatus
        var testDescription: String { name }
    }

    static let exitCodeCases: [ExitCodeCase] = [
        ExitCodeCase(
            name: "a listed exit code is retried until the limit", script: "exit 75", onExitCodes: [75],
            outcomes: Array(repeating: .exited(code: 75), count: 3), status: .failed),
        ExitCodeCase(
            name: "an exit code not listed is not retried", script: "exit 1", onExitCodes: [75, 76],
            outcomes: [.exited(code: 1)], status: .failed),
        ExitCodeCase(
            name: "a listed code, then success", script: "[ \"$GNOMON_ATTEMPT\" -ge 2 ] || exit 76", onExitCodes: [75, 76],
            outcomes: [.exited(code: 76), .exited(code: 0)], status: .succeeded),
        ExitCodeCase(
            name: "a listed code, then an unlisted one stops the retries",
            script: "[ \"$GNOMON_ATTEMPT\" -ge 2 ] && exit 9; exit 75", onExitCodes: [75],
            outcomes: [.exited(code: 75), .exited(code: 9)], status: .failed),
        ExitCodeCase(
            name: "without a list every failure is retried", script: "exit 1", onExitCodes: nil,
            outcomes: Array(repeating: .exited(code: 1), count: 3), status: .failed),
        ExitCodeCase(
            name: "with a list a timeout is not retried", script: "sleep 5", onExitCodes: [75], timeout: .milliseconds(200),
            outcomes: [.timedOut], status: .failed),
    ]

    @Test("on_exit_codes limits which failures are retried", arguments: exitCodeCases)
    func onExitCodes(_ c: ExitCodeCase) async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("codes", directory: home.jobs)
            .task("t", run: c.script, retry: .quick(limit: 2, delay: duration("10ms"), onExitCodes: c.onExitCodes), timeout: c.timeout)
            .build()
        let finished = try await runToEnd(job, in: home)

        #expect(finished.outcomes("t") == c.outcomes)
        #expect(finished.task("t").status == c.status)
        #expect(finished.status == (c.status == .succeeded ? .succeeded : .failed))
    }
}
