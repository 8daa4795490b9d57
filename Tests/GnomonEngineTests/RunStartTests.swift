import Foundation
import GnomonCore
@testable import GnomonEngine
import GnomonStore
import GnomonTesting
import Testing

/// A new run is created started: running, its first tasks ready, in the transaction that creates
/// it, and executing it records nothing of that start twice.
@Suite("Runs started as they are created")
struct RunStartTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let only: Set<String>?
        /// Each task's status right after `prepareNewRun`, before anything executes.
        let created: [String: TaskStatus]
        /// The run's status once executed.
        let ended: RunStatus
    }

    static let cases: [Case] = [
        Case(testDescription: "the roots are ready, the rest waits",
             only: nil, created: ["a": .ready, "b": .ready, "c": .waiting, "d": .waiting], ended: .succeeded),
        Case(testDescription: "with --task, the left-out tasks are skipped with the reason",
             only: ["c"], created: ["a": .skipped, "b": .skipped, "c": .ready, "d": .skipped], ended: .succeeded),
    ]

    /// a and b have no upstream; c needs a; d runs after b and c.
    private func job(_ home: TemporaryHome) -> JobSpec {
        JobBuilder("fold", directory: home.jobs)
            .task("a", run: "true")
            .task("b", run: "true")
            .task("c", run: "true", dependsOn: ["a"])
            .task("d", run: "true", dependsOn: ["b", "c"])
            .build()
    }

    /// How the run is created: `prepareNewRun`, or `startNewRun` (the snapshot encoded meanwhile).
    enum Entry: String, CaseIterable, Sendable { case prepare, start }

    @Test("the run's first decisions are its rows' first values", arguments: cases, Entry.allCases)
    func created(_ c: Case, entry: Entry) async throws {
        let home = try TemporaryHome()
        let engine = try home.engine()
        let job = job(home)
        let prepared = switch entry {
        case .prepare: try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date(), only: c.only)
        case .start: try await engine.startNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date(), only: c.only)
        }
        let detail = try #require(try engine.store.run(prepared.id))
        #expect(detail.snapshot == job)
        #expect(detail.summary.status == .running)
        #expect(detail.summary.startedAt != nil)
        #expect(Dictionary(uniqueKeysWithValues: detail.tasks.map { ($0.name, $0.status) }) == c.created)
        for task in detail.tasks where task.status == .skipped {
            #expect(task.reason == "not selected with --task")
        }
        #expect(prepared.startActions?.contains { if case .launch = $0 { true } else { false } } == true)

        let finished = try await execute(prepared, engine: engine)
        #expect(finished.status == c.ended)
        #expect(finished.detail.summary.status == c.ended)
    }

    @Test("a start that ends the run at once is left to the execution")
    func nothingToRun() throws {
        let home = try TemporaryHome()
        let job = JobBuilder("empty", directory: home.jobs).task("a", run: "true").build()
        let graph = try job.validated().graph
        // Every task left out: the machine's start finishes the run, which a new row cannot hold.
        let machine = RunMachine(job: job, graph: graph, only: [])
        #expect(RunStart.fold(machine, names: graph.names, now: Date()) == nil)
    }
}
