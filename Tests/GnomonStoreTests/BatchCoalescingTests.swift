import Foundation
import GnomonCore
import GnomonTesting
import Testing
@testable import GnomonStore

/// A task status overwritten later in the same batch is not written, an attempt started and ended
/// in the same batch is inserted ended, and the rows end the same.
@Suite("Batches of changes")
struct BatchCoalescingTests {
    static let t0 = at("2024-05-01T12:00:00Z")

    static func status(_ task: String, _ status: TaskStatus, run: Int64 = 1, second: Double = 0) -> StoreChange {
        .taskStatus(run: run, task: task, status: status, reason: nil, retryAt: nil, at: t0.addingTimeInterval(second))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let batch: [StoreChange]
        /// Indexes of the changes that are written, in order.
        let written: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a single change is written", batch: [status("a", .ready)], written: [0]),
        Case(name: "running then succeeded: only succeeded",
             batch: [status("a", .running), attemptStarted(1, "a", at: t0), status("a", .succeeded, second: 1)],
             written: [1, 2]),
        Case(name: "statuses of different tasks all stay",
             batch: [status("a", .succeeded), status("b", .ready), status("c", .ready)], written: [0, 1, 2]),
        Case(name: "the same task in two runs: both stay",
             batch: [status("a", .running, run: 1), status("a", .running, run: 2)], written: [0, 1]),
        Case(name: "three statuses of one task: the last",
             batch: [status("a", .ready), status("a", .running), .runStatus(run: 1, status: .running, reason: nil, at: t0),
                     status("a", .failed)],
             written: [2, 3]),
    ]

    @Test("only overwritten task statuses are left out", arguments: cases)
    func coalescing(_ testCase: Case) {
        let kept = GnomonStore.withoutOverwrittenStatuses(testCase.batch)
        #expect(kept.map(\.label) == testCase.written.map { testCase.batch[$0].label })
        #expect(kept.count == testCase.written.count)
    }

    static func finished(_ task: String, _ number: Int = 1, run: Int64 = 1, _ outcome: AttemptOutcome = .exited(code: 0)) -> StoreChange {
        .attemptFinished(run: run, task: task, number: number, outcome: outcome, at: t0.addingTimeInterval(1))
    }

    struct EndingCase: Sendable, CustomTestStringConvertible {
        let name: String
        let batch: [StoreChange]
        /// Start index to end index, for the attempts written as one INSERT.
        let endings: [Int: Int]
        var testDescription: String { name }
    }

    static let endingCases: [EndingCase] = [
        EndingCase(name: "started then ended: one insert",
                   batch: [attemptStarted(1, "a", at: t0), status("a", .running), finished("a")], endings: [0: 2]),
        EndingCase(name: "ended without its start in the batch: an update", batch: [finished("a")], endings: [:]),
        EndingCase(name: "started only: an insert", batch: [attemptStarted(1, "a", at: t0)], endings: [:]),
        EndingCase(name: "another attempt number ends: both stay",
                   batch: [attemptStarted(1, "a", 2, at: t0), finished("a", 1)], endings: [:]),
        EndingCase(name: "another run's attempt ends: both stay",
                   batch: [attemptStarted(1, "a", at: t0), finished("a", run: 2)], endings: [:]),
        EndingCase(name: "two attempts interleaved",
                   batch: [attemptStarted(1, "a", at: t0), attemptStarted(1, "b", at: t0), finished("b"), finished("a")],
                   endings: [0: 3, 1: 2]),
        EndingCase(name: "a second end of the same attempt stays an update",
                   batch: [attemptStarted(1, "a", at: t0), finished("a"), finished("a", 1, .lost)], endings: [0: 1]),
    ]

    @Test("an attempt started and ended in one batch is one insert", arguments: endingCases)
    func endings(_ testCase: EndingCase) {
        #expect(GnomonStore.endingsOfStartedAttempts(testCase.batch) == testCase.endings)
    }

    struct CarryCase: Sendable, CustomTestStringConvertible {
        let name: String
        let batch: [StoreChange]
        /// Index of a task status to the attempt count it records.
        let carriers: [Int: Int]
        /// Indexes of the starts whose count a status records.
        let carried: Set<Int>
        var testDescription: String { name }
    }

    static let carryCases: [CarryCase] = [
        CarryCase(name: "a start then its task's status: the status records the count",
                  batch: [attemptStarted(1, "a", at: t0), finished("a"), status("a", .succeeded, second: 1)],
                  carriers: [2: 1], carried: [0]),
        CarryCase(name: "a status before the start: the start records it", batch: [status("a", .ready), attemptStarted(1, "a", at: t0)],
                  carriers: [:], carried: []),
        CarryCase(name: "a start alone records it", batch: [attemptStarted(1, "a", at: t0)], carriers: [:], carried: []),
        CarryCase(name: "another task's status carries nothing", batch: [attemptStarted(1, "a", at: t0), status("b", .ready)],
                  carriers: [:], carried: []),
        CarryCase(name: "another run's status carries nothing",
                  batch: [attemptStarted(1, "a", at: t0), status("a", .succeeded, run: 2)], carriers: [:], carried: []),
        CarryCase(name: "two attempts, then the status: the higher number",
                  batch: [attemptStarted(1, "a", 2, at: t0), attemptStarted(1, "a", 1, at: t0), status("a", .failed)],
                  carriers: [2: 2], carried: [0, 1]),
        CarryCase(name: "each status carries the starts since the one before",
                  batch: [attemptStarted(1, "a", 1, at: t0), status("a", .retrying), attemptStarted(1, "a", 2, at: t0),
                          status("a", .succeeded, second: 1)],
                  carriers: [1: 1, 3: 2], carried: [0, 2]),
    ]

    @Test("an attempt's count rides with its task's later status", arguments: carryCases)
    func carry(_ testCase: CarryCase) {
        let counts = GnomonStore.attemptCountsCarried(testCase.batch)
        #expect(counts.carriers == testCase.carriers)
        #expect(counts.carried == testCase.carried)
    }

    @Test("a batch ends the rows exactly as its changes one by one would")
    func sameRows() throws {
        let batch: [StoreChange] = [
            .runStatus(run: 0, status: .running, reason: nil, at: Self.t0),
            .taskStatus(run: 0, task: "extract", status: .running, reason: nil, retryAt: nil, at: Self.t0),
            attemptStarted(0, "extract", at: Self.t0),
            .attemptFinished(run: 0, task: "extract", number: 1, outcome: .exited(code: 0), at: Self.t0.addingTimeInterval(1)),
            .taskStatus(run: 0, task: "extract", status: .succeeded, reason: nil, retryAt: nil, at: Self.t0.addingTimeInterval(1)),
            .taskStatus(run: 0, task: "transform", status: .ready, reason: nil, retryAt: nil, at: Self.t0.addingTimeInterval(1)),
            .attemptStarted(run: 0, task: "transform", number: 1, at: Self.t0.addingTimeInterval(2), pid: 77, pgid: 77,
                            containerName: nil, logPath: "/logs/transform.1.log", runnerInstance: "runner-A"),
            .attemptFinished(run: 0, task: "transform", number: 1, outcome: .signalled(signal: 9), at: Self.t0.addingTimeInterval(3)),
            .taskStatus(run: 0, task: "transform", status: .retrying, reason: "killed", retryAt: Self.t0.addingTimeInterval(4),
                        at: Self.t0.addingTimeInterval(3)),
            .attemptStarted(run: 0, task: "transform", number: 2, at: Self.t0.addingTimeInterval(4), pid: 79, pgid: 79,
                            containerName: nil, logPath: "/logs/transform.2.log", runnerInstance: "runner-A"),
            .taskStatus(run: 0, task: "transform", status: .running, reason: nil, retryAt: nil, at: Self.t0.addingTimeInterval(4)),
            .attemptStarted(run: 0, task: "load", number: 1, at: Self.t0.addingTimeInterval(3), pid: 78, pgid: 78,
                            containerName: "c", logPath: "/logs/load.1.log", runnerInstance: "runner-A"),
        ]
        var details: [RunDetail] = []
        for together in [true, false] {
            let home = try TemporaryHome()
            let store = try GnomonStore.open(home: home.home)
            let id = try store.createRun(newRun())
            let changes = batch.map { $0.withRun(id) }
            if together {
                try store.record(changes)
            } else {
                for change in changes { try store.record([change]) }
            }
            details.append(try #require(try store.run(id)))
        }
        #expect(details[0].tasks == details[1].tasks)
        #expect(details[0].attempts == details[1].attempts)
        #expect(details[0].attempts.count == 4)
        #expect(details[0].attempts.first { $0.task == "transform" }?.outcome == .signalled(signal: 9))
        #expect(details[0].tasks.first { $0.name == "transform" }?.attempts == 2)
        #expect(details[0].attempts.first { $0.task == "load" }?.outcome == nil)
        #expect(details[0].tasks.first?.status == .succeeded && details[0].tasks.first?.attempts == 1)
    }
}

private extension StoreChange {
    /// The same change for run `id`.
    func withRun(_ id: Int64) -> StoreChange {
        switch self {
        case let .runStatus(_, status, reason, at): return .runStatus(run: id, status: status, reason: reason, at: at)
        case let .taskStatus(_, task, status, reason, retryAt, at):
            return .taskStatus(run: id, task: task, status: status, reason: reason, retryAt: retryAt, at: at)
        case let .attemptStarted(_, task, number, at, pid, pgid, container, log, runner, slurm):
            return .attemptStarted(run: id, task: task, number: number, at: at, pid: pid, pgid: pgid,
                                   containerName: container, logPath: log, runnerInstance: runner, slurmJob: slurm)
        case let .attemptFinished(_, task, number, outcome, at):
            return .attemptFinished(run: id, task: task, number: number, outcome: outcome, at: at)
        default: return self
        }
    }
}
