import Foundation
import GnomonCore
import GnomonEngine
import GnomonTesting
import Testing

/// `gnomon run --task`: only the named tasks run, their dependencies ignored.
@Suite("Task filters")
struct TaskFilterTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let only: Set<String>
        let ran: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the last task alone, its upstream ignored", only: ["load"], ran: ["load"]),
        Case(name: "two tasks with one between them left out", only: ["extract", "load"], ran: ["extract", "load"]),
        Case(name: "a middle task alone", only: ["transform"], ran: ["transform"]),
        Case(name: "every task", only: ["extract", "transform", "load"], ran: ["extract", "transform", "load"]),
    ]

    @Test("only the selected tasks run; the others are skipped and do not fail the run", arguments: cases)
    func filter(_ c: Case) async throws {
        let home = try TemporaryHome()
        let marks = home.path("marks")
        let mark = "echo $GNOMON_TASK >> '\(marks)'"
        let job = JobBuilder("etl", directory: home.jobs)
            .task("extract", run: mark)
            .task("transform", run: mark, dependsOn: ["extract"])
            .task("load", run: mark, dependsOn: ["transform"])
            .build()
        let finished = try await runToEnd(job, in: home, only: c.only)

        #expect(finished.status == .succeeded)
        let ran = (home.read("marks") ?? "").split(separator: "\n").map(String.init)
        #expect(ran.sorted() == c.ran.sorted())
        for task in ["extract", "transform", "load"] {
            if c.only.contains(task) {
                #expect(finished.task(task).status == .succeeded)
                #expect(finished.detail.attempts(of: task).count == 1)
            } else {
                #expect(finished.task(task).status == .skipped)
                #expect(finished.task(task).reason == "not selected with --task")
                #expect(finished.detail.attempts(of: task).isEmpty)
            }
        }
    }

    @Test("a filter naming an unknown task is refused before any run is recorded")
    func unknownTask() throws {
        let home = try TemporaryHome()
        let job = JobBuilder("etl", directory: home.jobs).task("extract", run: "true").task("load", run: "true").build()
        let engine = try home.engine()
        #expect {
            _ = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date(), only: ["lod", "extract"])
        } throws: { error in
            "\(error)" == "job etl has no task \"lod\"; its tasks are extract, load"
        }
        #expect(try engine.store.runs(.init()).isEmpty)
    }
}
