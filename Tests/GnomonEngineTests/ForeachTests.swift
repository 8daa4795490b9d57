import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore
import GnomonTesting
import Testing

/// Fan-out with real processes and a real SQLite file: one instance per item of a literal list or
/// of an upstream output, each with its own attempts; the foreach task ends with its last
/// instance, and its downstream sees the instances' outputs gathered in item order.
@Suite("Fan-out: foreach")
struct ForeachTests {
    static func foreachTask(
        _ name: String, _ source: ForeachSource, command: [String], dependsOn: [String] = [], retry: RetryPolicy = RetryPolicy(),
        concurrency: Int? = nil, limit: Int? = nil
    ) -> TaskSpec {
        TaskSpec(name: name, action: .command(command), dependsOn: dependsOn, retry: retry,
                 foreach: source, concurrency: concurrency, foreachLimit: limit)
    }

    /// The instances of `task` recorded in a run, in item order.
    static func instances(_ run: FinishedRun, of task: String) -> [TaskRecord] {
        run.detail.tasks.filter { $0.instanceOf == task }.sorted { ($0.index ?? 0) < ($1.index ?? 0) }
    }

    @Test("items with spaces, quotes and ${{ reach argv and GNOMON_ITEM intact, one instance each")
    func literalItemsReachArgvIntact() async throws {
        let home = try TemporaryHome()
        let items = ["a b", "it's \"quoted\"", "${{ tasks.x.outputs.y }}", "  lead and trail  ", "ünï"]
        let job = JobBuilder("fan", directory: home.jobs)
            .adding(Self.foreachTask("chunk", .items(items), command: [
                "/bin/sh", "-c", "printf '%s|%s|%s' \"$1\" \"$GNOMON_ITEM\" \"$GNOMON_TASK\" > '\(home.path("out"))'.$GNOMON_ITEM_INDEX",
                "sh", "${{ item }}",
            ]))
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .succeeded, "\(finished.detail.tasks)")
        for (index, item) in items.enumerated() {
            #expect(home.read("out.\(index)") == "\(item)|\(item)|chunk[\(index)]")
        }
        let instances = Self.instances(finished, of: "chunk")
        #expect(instances.map(\.item) == items)
        #expect(instances.map(\.name) == items.indices.map { "chunk[\($0)]" })
        #expect(instances.allSatisfy { $0.status == .succeeded && $0.attempts == 1 })
        #expect(finished.task("chunk").status == .succeeded)
        #expect(finished.detail.summary.taskCounts == [.succeeded: 1], "the run's counts are of its tasks, not its instances")
    }

    @Test("a list from an upstream output fans out; the instances' outputs reach downstream as arrays in item order")
    func upstreamListAndGatheredOutputs() async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("fan", directory: home.jobs)
            .task("plan", run: "echo 'chunks=[\"x\", \"y z\", 3, true]' >> \"$GNOMON_OUTPUT\"")
            // Later items finish first: the gathering follows the items, not the order of ends.
            .adding(Self.foreachTask("chunk", .output(task: "plan", key: "chunks"), command: [
                "/bin/sh", "-c", "sleep 0.$((4 - GNOMON_ITEM_INDEX)); echo \"n=$1-done\" >> \"$GNOMON_OUTPUT\"", "sh", "${{ item }}",
            ], dependsOn: ["plan"]))
            .task("merge", command: [
                "/bin/sh", "-c", "printf '%s' \"$1\" > '\(home.path("merged"))'; cp \"$GNOMON_INPUTS\" '\(home.path("inputs"))'",
                "sh", "${{ tasks.chunk.outputs.n }}",
            ], dependsOn: ["chunk"])
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .succeeded, "\(finished.detail.tasks)")
        #expect(Self.instances(finished, of: "chunk").map(\.item) == ["x", "y z", "3", "true"])
        #expect(home.read("merged") == #"["x-done","y z-done","3-done","true-done"]"#)
        let inputs = try JSONSerialization.jsonObject(with: Data((home.read("inputs") ?? "").utf8)) as? [String: [String: String]]
        #expect(inputs?["chunk"] == ["n": #"["x-done","y z-done","3-done","true-done"]"#])
        #expect(finished.task("merge").status == .succeeded)
    }

    struct RefusedCase: Sendable, CustomTestStringConvertible {
        let name: String
        /// What `plan` writes to its output file.
        let written: String
        let limit: Int?
        let reason: String
        var testDescription: String { name }
    }

    static let refused: [RefusedCase] = [
        RefusedCase(name: "not an array", written: "chunks=hello", limit: nil,
                    reason: "foreach: tasks.plan.outputs.chunks is not a JSON array (got \"hello\")"),
        RefusedCase(name: "an object, not an array", written: #"chunks={"a": 1}"#, limit: nil,
                    reason: "is not a JSON array"),
        RefusedCase(name: "an item that is an object", written: #"chunks=["a", {"b": 1}]"#, limit: nil,
                    reason: "foreach: tasks.plan.outputs.chunks item 1 is an array or an object, not a string, number or boolean"),
        RefusedCase(name: "an item that is null", written: #"chunks=["a", null]"#, limit: nil,
                    reason: "item 1 is null"),
        RefusedCase(name: "more items than the task's limit", written: "chunks=[1,2,3,4]", limit: 3,
                    reason: "foreach: tasks.plan.outputs.chunks has 4 items, more than the limit of 3; set foreach_limit on chunk"),
        RefusedCase(name: "the output not written", written: "other=1", limit: nil,
                    reason: "foreach: plan succeeded without writing chunks to $GNOMON_OUTPUT"),
    ]

    @Test("an upstream value that cannot be a foreach list fails the fanning task with the reason; nothing fans out", arguments: refused)
    func refusedLists(_ item: RefusedCase) async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("fan", directory: home.jobs)
            .task("plan", run: "echo '\(item.written)' >> \"$GNOMON_OUTPUT\"")
            .adding(Self.foreachTask("chunk", .output(task: "plan", key: "chunks"), command: ["true"], dependsOn: ["plan"],
                                     limit: item.limit))
            .task("merge", run: "true", dependsOn: ["chunk"])
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .failed)
        let chunk = finished.task("chunk")
        #expect(chunk.status == .failed)
        #expect(chunk.reason?.contains(item.reason) == true, "\(chunk.reason ?? "no reason")")
        #expect(Self.instances(finished, of: "chunk").isEmpty)
        #expect(finished.task("merge").status == .skipped)
    }

    @Test("a fan-out that would take the run past 100,000 tasks, instances included, fails its foreach task; nothing fans out")
    func runTaskCap() async throws {
        let home = try TemporaryHome()
        // Two tasks and 99,999 items: 100,001 tasks, one past the cap.
        let items = (0..<(RunLimits.maximumTasks - 1)).map(String.init)
        let job = JobBuilder("fan", directory: home.jobs)
            .task("other", run: "true")
            .adding(Self.foreachTask("chunk", .items(items), command: ["true"], limit: RunLimits.maximumTasks))
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .failed)
        let reason = finished.task("chunk").reason ?? "no reason"
        #expect(reason.contains("foreach: the list has 99999 items, and the run has 2 tasks already: a run may have at most 100000 tasks, instances included"), "\(reason)")
        #expect(Self.instances(finished, of: "chunk").isEmpty)
        #expect(finished.task("other").status == .succeeded)
    }

    @Test("an empty list makes no instance and succeeds; downstream sees empty arrays")
    func emptyList() async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("fan", directory: home.jobs)
            .task("plan", run: "echo 'chunks=[]' >> \"$GNOMON_OUTPUT\"")
            .adding(Self.foreachTask("chunk", .output(task: "plan", key: "chunks"), command: ["false"], dependsOn: ["plan"]))
            .task("merge", command: ["/bin/sh", "-c", "printf '%s' \"$1\" > '\(home.path("merged"))'", "sh", "${{ tasks.chunk.outputs.n }}"],
                  dependsOn: ["chunk"])
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .succeeded, "\(finished.detail.tasks)")
        #expect(Self.instances(finished, of: "chunk").isEmpty)
        #expect(finished.task("chunk").status == .succeeded)
        #expect(home.read("merged") == "[]")
    }

    @Test("each instance has its own attempts and retries")
    func instanceRetries() async throws {
        let home = try TemporaryHome()
        // "flaky" fails its first attempt (no marker yet), then succeeds.
        let line = "[ \"$1\" != flaky ] || [ -f '\(home.path("seen"))' ] || { touch '\(home.path("seen"))'; exit 3; }"
        let job = JobBuilder("fan", directory: home.jobs)
            .adding(Self.foreachTask("chunk", .items(["steady", "flaky", "also steady"]),
                                     command: ["/bin/sh", "-c", line, "sh", "${{ item }}"], retry: .quick(limit: 1)))
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .succeeded, "\(finished.detail.tasks)")
        #expect(Self.instances(finished, of: "chunk").map(\.attempts) == [1, 2, 1])
        #expect(finished.outcomes("chunk[1]") == [.exited(code: 3), .exited(code: 0)])
        for attempt in finished.detail.attempts(of: "chunk[1]") {
            #expect(attempt.logPath.hasSuffix("/chunk[1].\(attempt.number).log"))
        }
    }

    @Test("at most `concurrency` instances run at once", arguments: [1, 2, 3])
    func concurrencyRespected(_ limit: Int) async throws {
        let home = try TemporaryHome()
        let marks = home.path("marks")
        let job = JobBuilder("fan", directory: home.jobs)
            .adding(Self.foreachTask("chunk", .items((1...6).map(String.init)), command: [
                "/bin/sh", "-c", IntervalLog.busy(marks, seconds: "0.2", barrier: limit),
            ], concurrency: limit))
            .build()
        let finished = try await runToEnd(job, in: home, engine: try home.engine(workers: 8))
        #expect(finished.status == .succeeded, "\(finished.detail.tasks)")
        let log = IntervalLog(text: home.read("marks") ?? "")
        #expect(log.unpaired.isEmpty && log.intervals.count == 6)
        #expect(log.maxOverlap == limit, "\(log.intervals)")
    }

    @Test("a failed instance fails its task: depends_on downstream is skipped, after downstream runs once all ended")
    func joins() async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("fan", directory: home.jobs)
            .adding(Self.foreachTask("chunk", .items(["0.3", "bad", "0.1"]), command: [
                "/bin/sh", "-c", "[ \"$1\" != bad ] || exit 4; sleep \"$1\"", "sh", "${{ item }}",
            ]))
            .task("merge", run: "true", dependsOn: ["chunk"])
            .task("report", run: "true", after: ["chunk"])
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .failed)
        let chunk = finished.task("chunk")
        #expect(chunk.status == .failed)
        #expect(chunk.reason == "1 of 3 instances did not succeed (chunk[1])")
        #expect(Self.instances(finished, of: "chunk").map(\.status) == [.succeeded, .failed, .succeeded])
        #expect(finished.task("merge").status == .skipped)
        #expect(finished.task("report").status == .succeeded)
        let lastEnd = try #require(finished.detail.attempts.filter { $0.task.hasPrefix("chunk[") }.compactMap(\.endedAt).max())
        let reportStart = try #require(finished.detail.attempts(of: "report").first?.startedAt)
        #expect(reportStart >= lastEnd, "after waits for every instance")
    }
}
