import Foundation
import GnomonCore
import GnomonTesting
import Testing

/// Whole runs of small graphs of real `/bin/sh` tasks, checked against what the store recorded.
struct GraphOutcomeCase: CustomTestStringConvertible, Sendable {
    let name: String
    /// Builds the job; `marks` is a file each task that runs appends its name to.
    let job: @Sendable (_ directory: String, _ marks: String) -> JobSpec
    let run: RunStatus
    let tasks: [String: TaskStatus]
    /// Pairs of tasks that must have run in this order (the graph forces it).
    let order: [Pair]
    /// Words the run's reason must contain (nil: no reason).
    let runReason: [String]?
    /// Expected task reasons, by task (substring).
    let taskReasons: [String: String]

    var testDescription: String { name }

    struct Pair: Sendable {
        let first: String, then: String
        init(_ first: String, _ then: String) { self.first = first; self.then = then }
    }

    static func mark(_ marks: String) -> String { "echo $GNOMON_TASK >> '\(marks)'" }

    static let all: [GraphOutcomeCase] = [
        GraphOutcomeCase(
            name: "a diamond whose branches succeed succeeds, the join running last",
            job: { dir, marks in
                JobBuilder("diamond", directory: dir)
                    .task("a", run: mark(marks))
                    .task("b", run: mark(marks), dependsOn: ["a"])
                    .task("c", run: mark(marks), dependsOn: ["a"])
                    .task("d", run: mark(marks), dependsOn: ["b", "c"])
                    .build()
            },
            run: .succeeded, tasks: ["a": .succeeded, "b": .succeeded, "c": .succeeded, "d": .succeeded],
            order: [Pair("a", "b"), Pair("a", "c"), Pair("b", "d"), Pair("c", "d")], runReason: nil, taskReasons: [:]),
        GraphOutcomeCase(
            name: "a diamond with a failing branch skips the join and fails the run",
            job: { dir, marks in
                JobBuilder("diamond", directory: dir)
                    .task("a", run: mark(marks))
                    .task("b", run: mark(marks) + "; exit 3", dependsOn: ["a"])
                    .task("c", run: mark(marks), dependsOn: ["a"])
                    .task("d", run: mark(marks), dependsOn: ["b", "c"])
                    .build()
            },
            run: .failed, tasks: ["a": .succeeded, "b": .failed, "c": .succeeded, "d": .skipped],
            order: [Pair("a", "b"), Pair("a", "c")], runReason: ["b failed", "d skipped"],
            taskReasons: ["b": "attempt 1 exit 3", "d": "upstream b failed"]),
        GraphOutcomeCase(
            name: "an after edge runs its task past a failed upstream; the run still fails",
            job: { dir, marks in
                JobBuilder("cleanup", directory: dir)
                    .task("work", run: mark(marks) + "; exit 1")
                    .task("cleanup", run: mark(marks), after: ["work"])
                    .build()
            },
            run: .failed, tasks: ["work": .failed, "cleanup": .succeeded],
            order: [Pair("work", "cleanup")], runReason: ["work failed"], taskReasons: ["work": "exit 1"]),
        GraphOutcomeCase(
            name: "an after edge runs past a skipped upstream, a depends_on edge does not",
            job: { dir, marks in
                JobBuilder("chain", directory: dir)
                    .task("a", run: mark(marks) + "; exit 2")
                    .task("b", run: mark(marks), dependsOn: ["a"])
                    .task("report", run: mark(marks), after: ["b"])
                    .task("publish", run: mark(marks), dependsOn: ["b"])
                    .build()
            },
            run: .failed, tasks: ["a": .failed, "b": .skipped, "report": .succeeded, "publish": .skipped],
            order: [Pair("a", "report")], runReason: ["a failed", "b skipped", "publish skipped"],
            taskReasons: ["b": "upstream a failed", "publish": "upstream b skipped"]),
    ]
}

@Suite("Graphs of real tasks")
struct GraphOutcomeTests {
    @Test(arguments: GraphOutcomeCase.all)
    func outcome(_ c: GraphOutcomeCase) async throws {
        let home = try TemporaryHome()
        let marks = home.path("marks")
        let finished = try await runToEnd(c.job(home.jobs, marks), in: home)

        #expect(finished.status == c.run)
        #expect(finished.detail.summary.status == c.run)
        #expect(finished.statuses == c.tasks)
        if let words = c.runReason {
            let reason = finished.detail.summary.reason ?? ""
            for word in words { #expect(reason.contains(word), "run reason \"\(reason)\" lacks \"\(word)\"") }
        } else {
            #expect(finished.detail.summary.reason == nil)
        }
        for (task, text) in c.taskReasons {
            let reason = finished.task(task).reason ?? ""
            #expect(reason.contains(text), "task \(task) reason \"\(reason)\" lacks \"\(text)\"")
        }
        // Exactly the tasks that should run ran, each once, in an order the graph allows.
        let ran = (home.read("marks") ?? "").split(separator: "\n").map(String.init)
        let expected = c.tasks.filter { $0.value != .skipped }.keys.sorted()
        #expect(ran.sorted() == expected)
        for pair in c.order {
            let first = ran.firstIndex(of: pair.first), then = ran.firstIndex(of: pair.then)
            #expect(first != nil && then != nil && first! < then!, "\(pair.first) before \(pair.then) in \(ran)")
        }
        // Skipped tasks have no attempt; the others exactly one, finished.
        for (task, status) in c.tasks {
            #expect(finished.detail.attempts(of: task).count == (status == .skipped ? 0 : 1), "attempts of \(task)")
        }
        #expect(finished.detail.summary.finishedAt != nil)
    }
}
