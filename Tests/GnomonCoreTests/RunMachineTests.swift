import Foundation
import GnomonCore
import Testing

/// Drives a `RunMachine` through a script of task outcomes and records what it decided.
private struct Script {
    var job: JobSpec
    var only: Set<String>? = nil
    var start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs the machine, answering each launch with the next outcome listed for that task
    /// (success when the list runs out), and firing retry wakes immediately.
    func play(_ outcomes: [String: [AttemptOutcome]], cancelAfterLaunches: Int? = nil) -> (RunMachine, [RunAction]) {
        let graph = try! TaskGraph.build(job.tasks).get()
        var machine = RunMachine(job: job, graph: graph, only: only, seed: 7)
        var remaining = outcomes
        var log: [RunAction] = []
        var queue = machine.start(now: start)
        var launches = 0
        var now = start
        while !queue.isEmpty {
            let action = queue.removeFirst()
            log.append(action)
            switch action {
            case let .launch(task, attempt):
                launches += 1
                if let limit = cancelAfterLaunches, launches == limit {
                    queue += machine.handle(.cancel(reason: "killed by test"), now: now)
                    queue += machine.handle(.attemptFinished(task: task, attempt: attempt, outcome: .cancelled), now: now)
                    continue
                }
                let outcome = remaining[task]?.isEmpty == false ? remaining[task]!.removeFirst() : .exited(code: 0)
                queue += machine.handle(.attemptFinished(task: task, attempt: attempt, outcome: outcome), now: now)
            case let .wakeForRetry(task, at):
                now = max(now, at)
                queue += machine.handle(.retryDue(task: task), now: now)
            default:
                break
            }
        }
        return (machine, log)
    }
}

private func shell(_ name: String, needs: [String] = [], after: [String] = [], retry: RetryPolicy = RetryPolicy()) -> TaskSpec {
    TaskSpec(name: name, action: .shell("true"), dependsOn: needs, after: after, retry: retry)
}

private func job(_ tasks: [TaskSpec], concurrency: Int? = nil) -> JobSpec {
    JobSpec(name: "t", concurrency: concurrency, tasks: tasks, directory: "/tmp")
}

private let diamond = job([
    shell("a"), shell("b", needs: ["a"]), shell("c", needs: ["a"]), shell("d", needs: ["b", "c"]),
])

struct RunMachineCase: CustomTestStringConvertible, Sendable {
    let name: String
    let job: JobSpec
    var only: Set<String>? = nil
    let outcomes: [String: [AttemptOutcome]]
    let run: RunStatus
    let tasks: [String: TaskStatus]
    var attempts: [String: Int] = [:]
    var testDescription: String { name }
}

private let retry2 = RetryPolicy(limit: 2, delay: .seconds(1), jitter: 0)

@Test(arguments: [
    RunMachineCase(name: "diamond all succeed", job: diamond, outcomes: [:], run: .succeeded,
                   tasks: ["a": .succeeded, "b": .succeeded, "c": .succeeded, "d": .succeeded]),
    RunMachineCase(name: "diamond with a failed branch skips the join and fails the run", job: diamond,
                   outcomes: ["b": [.exited(code: 1)]], run: .failed,
                   tasks: ["a": .succeeded, "b": .failed, "c": .succeeded, "d": .skipped]),
    RunMachineCase(name: "an after edge runs past a failure",
                   job: job([shell("a"), shell("report", after: ["a"])]),
                   outcomes: ["a": [.exited(code: 2)]], run: .failed,
                   tasks: ["a": .failed, "report": .succeeded]),
    RunMachineCase(name: "an after edge from a skipped task still releases",
                   job: job([shell("a"), shell("b", needs: ["a"]), shell("c", after: ["b"])]),
                   outcomes: ["a": [.exited(code: 1)]], run: .failed,
                   tasks: ["a": .failed, "b": .skipped, "c": .succeeded]),
    RunMachineCase(name: "skips propagate down a chain",
                   job: job([shell("a"), shell("b", needs: ["a"]), shell("c", needs: ["b"])]),
                   outcomes: ["a": [.timedOut]], run: .failed,
                   tasks: ["a": .failed, "b": .skipped, "c": .skipped]),
    RunMachineCase(name: "retry reaches success on the third attempt",
                   job: job([shell("a", retry: retry2)]),
                   outcomes: ["a": [.exited(code: 1), .exited(code: 1)]], run: .succeeded,
                   tasks: ["a": .succeeded], attempts: ["a": 3]),
    RunMachineCase(name: "retries run out",
                   job: job([shell("a", retry: retry2)]),
                   outcomes: ["a": [.exited(code: 1), .exited(code: 1), .exited(code: 1)]], run: .failed,
                   tasks: ["a": .failed], attempts: ["a": 3]),
    RunMachineCase(name: "an exit code outside on_exit_codes is not retried",
                   job: job([shell("a", retry: RetryPolicy(limit: 3, onExitCodes: [75]))]),
                   outcomes: ["a": [.exited(code: 75), .exited(code: 1)]], run: .failed,
                   tasks: ["a": .failed], attempts: ["a": 2]),
    RunMachineCase(name: "a lost attempt does not use up a retry",
                   job: job([shell("a", retry: RetryPolicy(limit: 1, delay: .zero))]),
                   outcomes: ["a": [.lost, .exited(code: 1), .exited(code: 0)]], run: .succeeded,
                   tasks: ["a": .succeeded], attempts: ["a": 3]),
    RunMachineCase(name: "--task runs only the named task, its dependencies ignored",
                   job: job([shell("a"), shell("b", needs: ["a"])]), only: ["b"],
                   outcomes: [:], run: .succeeded, tasks: ["a": .skipped, "b": .succeeded], attempts: ["b": 1]),
])
func runMachineOutcomes(_ c: RunMachineCase) {
    let (machine, log) = Script(job: c.job, only: c.only).play(c.outcomes)
    #expect(machine.status == c.run)
    for (task, status) in c.tasks { #expect(machine.tasks[task]?.status == status, "task \(task)") }
    for (task, count) in c.attempts {
        let launched = log.filter { if case .launch(task, _) = $0 { return true } else { return false } }.count
        #expect(launched == count, "attempts of \(task)")
    }
    // The run's final status is recorded exactly once, as the last record.
    let runRecords = log.compactMap { if case let .recordRun(status, _) = $0 { return status } else { return nil } }
    #expect(runRecords == [.running, c.run])
}

@Test func concurrencyLimitIsNeverExceeded() {
    let wide = job((1...10).map { shell("t\($0)") }, concurrency: 3)
    let graph = try! TaskGraph.build(wide.tasks).get()
    var machine = RunMachine(job: wide, graph: graph)
    var running: [(String, Int)] = []
    var peak = 0
    var queue = machine.start(now: .now)
    while true {
        for case let .launch(task, attempt) in queue { running.append((task, attempt)) }
        peak = max(peak, running.count)
        guard !running.isEmpty else { break }
        let (task, attempt) = running.removeFirst()
        queue = machine.handle(.attemptFinished(task: task, attempt: attempt, outcome: .exited(code: 0)), now: .now)
    }
    #expect(peak == 3)
    #expect(machine.status == .succeeded)
}

@Test func cancelKillsRunningAndCancelsTheRest() {
    let (machine, log) = Script(job: diamond).play([:], cancelAfterLaunches: 2)
    #expect(machine.status == .cancelled)
    #expect(machine.tasks["a"]?.status == .succeeded)
    #expect(machine.tasks["b"]?.status == .cancelled)
    #expect(machine.tasks["d"]?.status == .cancelled)
    #expect(log.contains(.kill(task: "b")))
}

@Test func deadlineFailsTheRunWithItsReason() {
    var slow = job([shell("a"), shell("b", needs: ["a"])])
    slow.timeout = .seconds(90)
    let graph = try! TaskGraph.build(slow.tasks).get()
    var machine = RunMachine(job: slow, graph: graph)
    _ = machine.start(now: .now)
    let actions = machine.handle(.deadlinePassed, now: .now)
    #expect(actions.contains(.kill(task: "a")))
    let end = machine.handle(.attemptFinished(task: "a", attempt: 1, outcome: .cancelled), now: .now)
    #expect(machine.status == .failed)
    #expect(end.last == .recordRun(status: .failed, reason: "run timeout 1m30s passed"))
    #expect(machine.tasks["b"]?.status == .cancelled)
}

@Test func retryOfAFailedRunContinuesNumberingWithAFreshBudget() {
    let chain = job([shell("a"), shell("b", needs: ["a"], retry: RetryPolicy(limit: 1, delay: .zero))])
    let graph = try! TaskGraph.build(chain.tasks).get()
    var machine = RunMachine(
        job: chain, graph: graph, previous: ["a": .succeeded, "b": .failed], attempts: ["a": 1, "b": 2],
        reopen: [.failed, .cancelled, .skipped], freshBudget: true)
    let first = machine.start(now: .now)
    #expect(first.contains(.launch(task: "b", attempt: 3)))
    #expect(!first.contains(.launch(task: "a", attempt: 2)))
    let again = machine.handle(.attemptFinished(task: "b", attempt: 3, outcome: .exited(code: 1)), now: .now)
    #expect(again.contains { if case .wakeForRetry("b", _) = $0 { return true } else { return false } })
}

struct BackoffCase: CustomTestStringConvertible, Sendable {
    let name: String
    let policy: RetryPolicy
    let retry: Int
    let random: Double
    let milliseconds: Int64
    var testDescription: String { name }
}

@Test(arguments: [
    BackoffCase(name: "first retry waits the base delay", policy: RetryPolicy(limit: 5, delay: .seconds(10), jitter: 0),
                retry: 1, random: 0.9, milliseconds: 10_000),
    BackoffCase(name: "third retry doubles twice", policy: RetryPolicy(limit: 5, delay: .seconds(10), jitter: 0),
                retry: 3, random: 0.5, milliseconds: 40_000),
    BackoffCase(name: "capped at max_delay", policy: RetryPolicy(limit: 20, delay: .seconds(10), maxDelay: .seconds(60), jitter: 0),
                retry: 10, random: 0.5, milliseconds: 60_000),
    BackoffCase(name: "jitter shortens by up to its fraction", policy: RetryPolicy(limit: 5, delay: .seconds(10), jitter: 0.1),
                retry: 1, random: 0, milliseconds: 9_000),
    BackoffCase(name: "jitter never passes max_delay", policy: RetryPolicy(limit: 5, delay: .seconds(10), maxDelay: .seconds(10), jitter: 0.5),
                retry: 1, random: 0.999, milliseconds: 10_000),
    BackoffCase(name: "backoff 1 keeps the delay flat", policy: RetryPolicy(limit: 5, delay: .milliseconds(250), backoff: 1, jitter: 0),
                retry: 4, random: 0.5, milliseconds: 250),
])
func backoffDelays(_ c: BackoffCase) {
    #expect(c.policy.delay(beforeRetry: c.retry, unitRandom: c.random).wholeMilliseconds == c.milliseconds)
}

/// A shutdown's drain and a cancellation meeting in one run: the run ends cancelled, whichever
/// came first (the daemon's shutdown waits for every run to end or be suspended).
struct RunMachineDrainTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let events: [RunEvent]
        /// What the killed attempt ends with, as the engine reports it while draining.
        let outcome: AttemptOutcome
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "cancelled (overlap replace), then drained: ends cancelled",
             events: [.cancel(reason: "replaced"), .drain], outcome: .interrupted),
        Case(name: "drained, then cancelled (gnomon kill): ends cancelled",
             events: [.drain, .cancel(reason: "replaced")], outcome: .interrupted),
        Case(name: "cancelled, then drained, the attempt reported cancelled: ends cancelled",
             events: [.cancel(reason: "replaced"), .drain], outcome: .cancelled),
    ]

    @Test(arguments: cases)
    func drainAndCancel(_ c: Case) throws {
        let spec = job([shell("a"), shell("b", needs: ["a"])])
        var machine = RunMachine(job: spec, graph: try TaskGraph.build(spec.tasks).get(), seed: 7)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(machine.start(now: now).contains(.launch(task: "a", attempt: 1)))
        for event in c.events { _ = machine.handle(event, now: now) }
        let actions = machine.handle(.attemptFinished(task: "a", attempt: 1, outcome: c.outcome), now: now)
        #expect(machine.status == .cancelled)
        #expect(!machine.suspended)
        #expect(actions.contains(.recordRun(status: .cancelled, reason: "replaced")))
        #expect(actions.contains(.recordTask(task: "a", status: .cancelled, reason: "replaced", retryAt: nil)))
    }
}
