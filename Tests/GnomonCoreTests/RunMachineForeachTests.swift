import Foundation
import GnomonCore
import Testing

/// Fan-out inside the pure run state machine: instances made from the list, launched within the
/// task's concurrency, the task ended by its last instance, and instances restored by recovery.
@Suite("RunMachine fan-out")
struct RunMachineForeachTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func job(concurrency: Int? = nil, runConcurrency: Int? = nil) -> (JobSpec, TaskGraph) {
        var job = JobSpec(name: "fan", tasks: [
            TaskSpec(name: "chunk", action: .shell("x"), foreach: .items([]), concurrency: concurrency),
            TaskSpec(name: "merge", action: .shell("x"), dependsOn: ["chunk"]),
        ], directory: "/jobs")
        job.concurrency = runConcurrency
        return (job, try! TaskGraph.build(job.tasks).get())
    }

    /// Plays a run to its end: the list is `items`, each launch ends at once with its outcome
    /// (success unless `failing` names it); returns the machine, the launches, and the most that
    /// were running at once.
    static func play(items: [String], concurrency: Int? = nil, runConcurrency: Int? = nil, failing: Set<String> = [])
        -> (machine: RunMachine, launches: [String], peak: Int) {
        let (job, graph) = job(concurrency: concurrency, runConcurrency: runConcurrency)
        var machine = RunMachine(job: job, graph: graph)
        var queue = machine.start(now: now)
        var launches: [String] = [], running: [(task: String, attempt: Int)] = []
        var head = 0, peak = 0
        while true {
            var index = 0
            while index < queue.count {
                switch queue[index] {
                case .fanOut(let task): queue += machine.handle(.fannedOut(task: task, items: items), now: now)
                case let .launch(task, attempt): launches.append(task); running.append((task, attempt))
                default: break
                }
                index += 1
            }
            peak = max(peak, running.count - head)
            guard head < running.count else { break }
            let (task, attempt) = running[head]
            head += 1
            let outcome: AttemptOutcome = failing.contains(task) ? .exited(code: 1) : .exited(code: 0)
            queue = machine.handle(.attemptFinished(task: task, attempt: attempt, outcome: outcome), now: now)
        }
        return (machine, launches, peak)
    }

    @Test("two lists read at once may not pass the run's task cap together: the second fails, the first fans out")
    func capCountsEveryFanOut() {
        let job = JobSpec(name: "fan", tasks: [
            TaskSpec(name: "a", action: .shell("x"), foreach: .items([])),
            TaskSpec(name: "b", action: .shell("x"), foreach: .items([])),
        ], directory: "/jobs")
        var machine = RunMachine(job: job, graph: try! TaskGraph.build(job.tasks).get())
        let started = machine.start(now: Self.now)
        #expect(started.contains(.fanOut(task: "a")) && started.contains(.fanOut(task: "b")))
        // Each list alone fits (2 tasks + 60,000); together they would make 120,002.
        let items = (0..<60_000).map(String.init)
        _ = machine.handle(.fannedOut(task: "a", items: items), now: Self.now)
        _ = machine.handle(.fannedOut(task: "b", items: items), now: Self.now)
        #expect(machine.tasks["a"] == .fanning)
        #expect(machine.instance("a[59999]") != nil)
        guard case .failed(let reason) = machine.tasks["b"] else {
            Issue.record("b is \(String(describing: machine.tasks["b"]))")
            return
        }
        #expect(reason == "foreach: the list has 60000 items, and the run has 60002 tasks already: a run may have at most 100000 tasks, instances included; split the list or the job")
        #expect(machine.instance("b[0]") == nil)
    }

    @Test("every item is launched once, in item order, within the task's concurrency; the task succeeds")
    func launchesInOrder() {
        let played = Self.play(items: ["a", "b", "c", "d", "e"], concurrency: 2)
        #expect(played.launches.filter { $0 != "merge" } == (0..<5).map { "chunk[\($0)]" })
        #expect(played.peak == 2)
        #expect(played.machine.tasks["chunk"] == .succeeded)
        #expect(played.machine.tasks["merge"] == .succeeded)
        #expect(played.machine.status == .succeeded)
        #expect(played.machine.instance("chunk[3]")?.item == "d")
    }

    @Test("the run's concurrency holds instances back too")
    func runConcurrency() {
        let played = Self.play(items: (0..<6).map(String.init), concurrency: 5, runConcurrency: 3)
        #expect(played.peak == 3)
        #expect(played.machine.status == .succeeded)
    }

    @Test("a failed instance fails the task, and its depends_on downstream is skipped")
    func failedInstance() {
        let played = Self.play(items: ["a", "b", "c"], failing: ["chunk[1]"])
        #expect(played.machine.tasks["chunk"] == .failed(reason: "1 of 3 instances did not succeed (chunk[1])"))
        #expect(played.machine.tasks["merge"] == .skipped(reason: "upstream chunk failed"))
        #expect(!played.launches.contains("merge"))
    }

    @Test("an empty list makes no instance and succeeds at once")
    func emptyList() {
        let played = Self.play(items: [])
        #expect(played.launches == ["merge"])
        #expect(played.machine.tasks["chunk"] == .succeeded)
    }

    @Test("ten thousand instances are played in linear time")
    func tenThousand() {
        let clock = ContinuousClock()
        let started = clock.now
        let played = Self.play(items: (0..<10_000).map(String.init), concurrency: 50)
        let took = clock.now - started
        #expect(played.launches.count == 10_001)
        #expect(played.peak == 50)
        #expect(played.machine.status == .succeeded)
        // Quadratic bookkeeping (a scan of all instances per launch or end) takes 10^8 steps and
        // tens of seconds in a debug build; the linear one takes well under one second here.
        #expect(took < .seconds(10), "\(took)")
        print("RunMachine: 10,000 instances with concurrency 50 played in \(took)")
    }

    @Test("recovery restores the instances: the succeeded stay, the others run; the task does not fan out again")
    func restored() {
        let (job, graph) = Self.job(concurrency: 2)
        let items = ["a", "b", "c", "d"]
        var machine = RunMachine(
            job: job, graph: graph,
            previous: ["chunk": .running, "merge": .waiting, "chunk[0]": .succeeded, "chunk[1]": .running,
                       "chunk[2]": .succeeded, "chunk[3]": .waiting],
            attempts: ["chunk[0]": 1, "chunk[1]": 1, "chunk[2]": 1], reopen: [], freshBudget: false,
            freeAttempts: ["chunk[1]": 1], instances: ["chunk": items])
        let actions = machine.start(now: Self.now)
        let launches = actions.compactMap { action -> String? in
            if case let .launch(task, attempt) = action { return "\(task)#\(attempt)" }
            return nil
        }
        #expect(launches == ["chunk[1]#2", "chunk[3]#1"])
        #expect(!actions.contains { if case .fanOut = $0 { return true }; return false })
        var next = machine.handle(.attemptFinished(task: "chunk[1]", attempt: 2, outcome: .exited(code: 0)), now: Self.now)
        next += machine.handle(.attemptFinished(task: "chunk[3]", attempt: 1, outcome: .exited(code: 0)), now: Self.now)
        #expect(machine.tasks["chunk"] == .succeeded)
        #expect(next.contains(.launch(task: "merge", attempt: 1)))
    }

    @Test("a cancel kills the running instances, cancels the waiting ones, and ends the task cancelled")
    func cancelled() {
        let (job, graph) = Self.job(concurrency: 1)
        var machine = RunMachine(job: job, graph: graph)
        _ = machine.start(now: Self.now)
        let fanned = machine.handle(.fannedOut(task: "chunk", items: ["a", "b", "c"]), now: Self.now)
        #expect(fanned.first == .recordInstances(task: "chunk", items: ["a", "b", "c"]), "recorded before any launch")
        let stop = machine.handle(.cancel(reason: "killed"), now: Self.now)
        #expect(stop.contains(.kill(task: "chunk[0]")))
        #expect(machine.tasks["chunk[2]"] == .cancelled(reason: "killed"))
        _ = machine.handle(.attemptFinished(task: "chunk[0]", attempt: 1, outcome: .cancelled), now: Self.now)
        #expect(machine.tasks["chunk"] == .cancelled(reason: "killed"))
        #expect(machine.status == .cancelled)
    }
}
