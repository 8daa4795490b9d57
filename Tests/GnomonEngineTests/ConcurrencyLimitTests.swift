import Foundation
import GnomonCore
import GnomonEngine
import GnomonTesting
import Testing

/// The job's `concurrency` and the runner's `--workers` bound how many tasks run at once,
/// measured from start and end marks the tasks write themselves.
@Suite("Concurrency limits")
struct ConcurrencyLimitTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let tasks: Int
        let concurrency: Int?
        let workers: Int
        /// Runs of the job executed at once on one engine (one worker pool).
        var runs = 1
        /// The most tasks that may (and, with enough tasks, will) run at once.
        let expected: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "job concurrency 2 under 8 workers", tasks: 6, concurrency: 2, workers: 8, expected: 2),
        Case(name: "2 workers and no job limit", tasks: 6, concurrency: nil, workers: 2, expected: 2),
        Case(name: "1 worker under job concurrency 3", tasks: 4, concurrency: 3, workers: 1, expected: 1),
        Case(name: "3 workers shared by two runs at once", tasks: 4, concurrency: nil, workers: 3, runs: 2, expected: 3),
        Case(name: "job concurrency 2 in each of two runs under 8 workers", tasks: 4, concurrency: 2, workers: 8, runs: 2, expected: 4),
    ]

    @Test("never more tasks at once than the limits allow", arguments: cases)
    func limits(_ c: Case) async throws {
        let home = try TemporaryHome()
        let file = home.path("intervals")
        var builder = JobBuilder("wide", directory: home.jobs).concurrency(c.concurrency)
        for index in 1...c.tasks {
            builder = builder.task("t\(index)", run: IntervalLog.busy(file, seconds: "0.1", barrier: c.expected))
        }
        let job = builder.build()
        let engine = try home.engine(workers: c.workers)
        let statuses = try await withThrowingTaskGroup(of: RunStatus.self) { group in
            for _ in 0..<c.runs {
                group.addTask { try await runToEnd(job, in: home, engine: engine).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(statuses == Array(repeating: .succeeded, count: c.runs))
        let log = IntervalLog(text: home.read("intervals") ?? "")
        #expect(log.unpaired.isEmpty)
        #expect(log.intervals.count == c.tasks * c.runs)
        #expect(log.maxOverlap == c.expected, "max overlap \(log.maxOverlap), expected \(c.expected)")
    }

    @Test("the worker pool hands slots back and never exceeds its width, with doubles")
    func poolWidthWithDoubles() async throws {
        let home = try TemporaryHome()
        let executor = RecordingExecutor()
        var builder = JobBuilder("many", directory: home.jobs)
        for index in 1...12 {
            executor.script("t\(index)", .sleep(.milliseconds(20), then: .exited(code: 0)))
            builder = builder.task("t\(index)", run: "(not run)")
        }
        let finished = try await runToEnd(builder.build(), in: home, engine: try home.engine(executor: executor, workers: 3))
        #expect(finished.status == .succeeded)
        #expect(executor.launches.count == 12)
        #expect(executor.maxRunning == 3)
    }
}
