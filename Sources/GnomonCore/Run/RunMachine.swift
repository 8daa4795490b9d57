import Foundation

/// The state machine of one run: which tasks are ready, retried, skipped or done, and when the
/// run ends. A pure value: events in, actions out, time passed in.
///
/// Readiness: a task is ready when every `depends_on` upstream succeeded and every `after`
/// upstream finished in any way. A task whose required upstream ended without success is skipped
/// with that reason; an `after` upstream that was skipped still releases its downstream.
///
/// Fan-out: a ready task with `foreach` asks for its list (`.fanOut`); the answer makes one
/// instance per item (`task[0]`, `task[1]`, ...), recorded before any of them launches. Each
/// instance has its own attempts and retries; at most the task's `concurrency` of them run at
/// once (and the run's). The task itself finishes when its last instance does: succeeded when
/// every instance did (or there were none), failed otherwise; so its downstream waits for all.
public struct RunMachine: Sendable {
    /// The state of one task inside the machine.
    public enum TaskState: Sendable, Hashable {
        case waiting
        /// Launched (or waiting for a global worker slot) as attempt `attempt`.
        case running(attempt: Int)
        /// Failed; attempt `nextAttempt` may start at `at`.
        case retrying(nextAttempt: Int, at: Date)
        case succeeded
        case failed(reason: String)
        case skipped(reason: String)
        case cancelled(reason: String)
        /// A foreach task whose list is being read, or whose instances have not all finished.
        case fanning

        public var status: TaskStatus {
            switch self {
            case .waiting: return .waiting
            case .running, .fanning: return .running
            case .retrying: return .retrying
            case .succeeded: return .succeeded
            case .failed: return .failed
            case .skipped: return .skipped
            case .cancelled: return .cancelled
            }
        }

        public var isFinished: Bool { status.isFinished }
    }

    public let graph: TaskGraph
    public internal(set) var tasks: [String: TaskState]
    public private(set) var status: RunStatus = .queued
    /// Why the run is ending early (cancel or deadline), once it is.
    public private(set) var stopReason: String?
    /// The runner is shutting down (see `RunEvent.drain`).
    public private(set) var draining = false
    /// Draining finished: nothing runs and the run was left unfinished.
    public private(set) var suspended = false
    private var stopStatus: RunStatus?
    let specs: [String: TaskSpec]
    let concurrency: Int?
    private let timeout: Duration?
    /// Tasks left out by a `--task` filter; they are skipped and do not decide the outcome.
    private let excluded: Set<String>
    /// Attempts of each task made before this machine started (a continued run's history).
    private var attemptBase: [String: Int]
    /// Attempts that did not use up a retry (lost or interrupted by Gnomon itself).
    private var freeAttempts: [String: Int] = [:]
    private var rng: SplitMix64
    /// Tasks running now (launched and not yet reported back).
    var runningCount = 0
    /// Tasks not finished yet.
    var unfinishedCount = 0
    /// Waiting tasks whose readiness may have changed since the last `settle`.
    private var candidates = Set<String>()
    /// Ready tasks over the run's `concurrency`, by topological index; checked when a slot frees.
    private var heldBack = IndexHeap()
    /// The instances of each foreach task that has fanned out, by task.
    var fanOuts: [String: FanOut] = [:]
    /// Each instance name's task and index.
    var instanceOf: [String: InstanceOf] = [:]
    /// Foreach tasks with instances waiting for a launch.
    var fanOutsWithQueue = Set<String>()
    /// Foreach tasks whose last instance may have finished since the last `settle`.
    var closable: [String] = []

    /// A machine for a new run.
    ///
    /// - Parameters:
    ///   - only: with `--task`, the tasks to run (their dependencies ignored); `nil` runs all.
    ///   - seed: seeds the retry jitter so tests are repeatable.
    public init(job: JobSpec, graph: TaskGraph, only: Set<String>? = nil, seed: UInt64 = 0) {
        self.graph = graph
        self.specs = Dictionary(uniqueKeysWithValues: job.tasks.map { ($0.name, $0) })
        self.concurrency = job.concurrency
        self.timeout = job.timeout
        self.excluded = only.map { Set(graph.names).subtracting($0) } ?? []
        self.tasks = Dictionary(uniqueKeysWithValues: graph.names.map { ($0, TaskState.waiting) })
        self.attemptBase = [:]
        self.rng = SplitMix64(seed: seed)
        for name in excluded { tasks[name] = .skipped(reason: "not selected with --task") }
    }

    /// A machine that continues an earlier run (`gnomon retry`, or recovery after a crash).
    ///
    /// - Parameters:
    ///   - previous: each task's recorded state; succeeded tasks stay done, tasks that had not
    ///     finished or `reopen` says to reopen wait again.
    ///   - attempts: how many attempts each task already made; numbering continues after them.
    ///   - freshBudget: give reopened tasks their full retry budget again (`gnomon retry`);
    ///     false keeps the attempts already used (recovery).
    ///   - freeAttempts: attempts per task that do not use up a retry (lost when Gnomon died).
    ///   - running: attempts still running that the runner re-attached to (a container adopted
    ///     after a crash), by task; their outcomes arrive as `attemptFinished` events.
    ///   - instances: the recorded items of each foreach task that fanned out, by task; its
    ///     instances (in `previous`, `attempts` and `running` by instance name) continue, and it
    ///     does not fan out again.
    public init(
        job: JobSpec, graph: TaskGraph, previous: [String: TaskStatus], attempts: [String: Int],
        reopen: Set<TaskStatus>, freshBudget: Bool, freeAttempts: [String: Int] = [:],
        running: [String: Int] = [:], instances: [String: [String]] = [:], seed: UInt64 = 0
    ) {
        self.init(job: job, graph: graph, seed: seed)
        self.attemptBase = freshBudget ? attempts : [:]
        self.freeAttempts = freshBudget ? [:] : freeAttempts
        for name in graph.names {
            let recorded = previous[name] ?? .waiting
            if recorded.isFinished && !reopen.contains(recorded) {
                tasks[name] = Self.finishedState(recorded)
            }
        }
        self.previousAttempts = attempts
        for (task, items) in instances where tasks[task] != nil {
            restoreFanOut(task, items: items, previous: previous, reopen: reopen)
        }
        for (name, attempt) in running where tasks[name] != nil { tasks[name] = .running(attempt: attempt) }
    }

    /// Attempts already made per task before this machine, for numbering.
    private var previousAttempts: [String: Int] = [:]

    static func finishedState(_ status: TaskStatus) -> TaskState {
        switch status {
        case .succeeded: return .succeeded
        case .failed: return .failed(reason: "failed earlier")
        case .skipped: return .skipped(reason: "skipped earlier")
        default: return .cancelled(reason: "cancelled earlier")
        }
    }

    /// Starts the run: launches every ready task.
    public mutating func start(now: Date) -> [RunAction] {
        status = .running
        runningCount = tasks.values.filter { if case .running = $0 { return true } else { return false } }.count
        unfinishedCount = tasks.values.filter { !$0.isFinished }.count
        candidates = Set(graph.names.filter { tasks[$0] == .waiting })
        var actions: [RunAction] = [.recordRun(status: .running, reason: nil)]
        for task in fanOuts.keys.sorted(by: topologicallyFirst) {
            var running = 0
            for index in fanOuts[task]!.items.indices {
                if case .running = tasks[ForeachSource.instanceName(task, index)]! { running += 1 }
            }
            fanOuts[task]!.running = running
            if fanOuts[task]!.hasQueued { fanOutsWithQueue.insert(task) }
            if tasks[task] == .fanning {
                closable.append(task)
                actions.append(.recordTask(task: task, status: .running, reason: nil, retryAt: nil))
            }
        }
        for name in excluded {
            actions.append(.recordTask(task: name, status: .skipped, reason: "not selected with --task", retryAt: nil))
        }
        settle(now: now, into: &actions)
        return actions
    }

    /// Applies one event and returns what must be done.
    public mutating func handle(_ event: RunEvent, now: Date) -> [RunAction] {
        guard !status.isFinished, !suspended else { return [] }
        var actions: [RunAction] = []
        switch event {
        case let .attemptFinished(task, attempt, outcome):
            attemptFinished(task, attempt: attempt, outcome: outcome, now: now, into: &actions)
        case let .retryDue(task):
            if case let .retrying(next, _) = tasks[task] {
                set(task, .waiting)
                pendingAttempt[task] = next
            }
        case let .cancel(reason):
            stop(status: .cancelled, reason: reason, into: &actions)
        case .deadlinePassed:
            stop(status: .failed, reason: "run timeout \(timeout.map(DurationText.format) ?? "") passed", into: &actions)
        case .drain:
            draining = true
        case let .fannedOut(task, items) where tasks.count + items.count > RunLimits.maximumTasks:
            // Counted here, where every fan-out of the run is known (two lists read at once must
            // not pass the cap together), not where a list is read.
            failFanOut(task, reason: "foreach: the list has \(items.count) items, and the run has \(tasks.count) tasks already: "
                + "a run may have at most \(RunLimits.maximumTasks) tasks, instances included; split the list or the job", into: &actions)
        case let .fannedOut(task, items):
            fannedOut(task, items: items, into: &actions)
        case let .fanOutFailed(task, reason):
            failFanOut(task, reason: reason, into: &actions)
        }
        settle(now: now, into: &actions)
        return actions
    }

    /// The attempt number the next launch of a task uses, once a retry wait is over.
    private var pendingAttempt: [String: Int] = [:]

    func topologicallyFirst(_ a: String, _ b: String) -> Bool {
        graph.topologicalIndex[a]! < graph.topologicalIndex[b]!
    }

    private mutating func attemptFinished(
        _ task: String, attempt: Int, outcome: AttemptOutcome, now: Date, into actions: inout [RunAction]
    ) {
        guard case .running(let current) = tasks[task], current == attempt,
              let spec = specs[task] ?? instanceOf[task].flatMap({ specs[$0.task] }) else { return }
        if outcome.succeeded {
            set(task, .succeeded)
            actions.append(.recordTask(task: task, status: .succeeded, reason: nil, retryAt: nil))
            return
        }
        if outcome == .lost || outcome == .interrupted { freeAttempts[task, default: 0] += 1 }
        if draining, stopReason == nil, outcome == .interrupted || outcome == .cancelled {
            // Shut down under it: the next runner starts this task again without using a retry.
            // A run whose cancellation was asked for (before or during the shutdown) ends cancelled
            // instead, below: left waiting, it would neither finish nor be suspended.
            if outcome == .cancelled { freeAttempts[task, default: 0] += 1 }
            set(task, .waiting)
            pendingAttempt[task] = attempt + 1
            actions.append(.recordTask(task: task, status: .waiting, reason: "attempt \(attempt) interrupted by shutdown", retryAt: nil))
            return
        }
        let used = attempt - (attemptBase[task] ?? 0) - 1 - (freeAttempts[task] ?? 0)
        if stopReason == nil, spec.retry.allowsRetry(of: outcome), used < spec.retry.limit || outcome == .lost || outcome == .interrupted {
            let isFree = outcome == .lost || outcome == .interrupted
            let wait = isFree ? Duration.zero : spec.retry.delay(beforeRetry: used + 1, unitRandom: rng.unit())
            let at = now.addingTimeInterval(wait.secondsDouble)
            set(task, .retrying(nextAttempt: attempt + 1, at: at))
            let reason = "attempt \(attempt) \(outcome.summary); retry \(used + (isFree ? 0 : 1)) of \(spec.retry.limit)"
            actions.append(.recordTask(task: task, status: .retrying, reason: reason, retryAt: at))
            actions.append(.wakeForRetry(task: task, at: at))
            return
        }
        if let stopReason, outcome == .cancelled || outcome == .interrupted {
            set(task, .cancelled(reason: stopReason))
            actions.append(.recordTask(task: task, status: .cancelled, reason: stopReason, retryAt: nil))
            return
        }
        let reason = "attempt \(attempt) \(outcome.summary)"
        set(task, .failed(reason: reason))
        actions.append(.recordTask(task: task, status: .failed, reason: reason, retryAt: nil))
    }

    private mutating func stop(status: RunStatus, reason: String, into actions: inout [RunAction]) {
        guard stopReason == nil else { return }
        stopReason = reason
        stopStatus = status
        for name in graph.names {
            // A foreach task whose list was being read has no instance yet: nothing else stops it.
            if tasks[name] == .fanning, fanOuts[name] == nil {
                cancel(name, reason: reason, into: &actions)
            } else {
                stopOne(name, reason: reason, into: &actions)
            }
        }
        for task in fanOuts.keys.sorted(by: topologicallyFirst) where tasks[task] == .fanning {
            for index in fanOuts[task]!.items.indices {
                stopOne(ForeachSource.instanceName(task, index), reason: reason, into: &actions)
            }
        }
    }

    /// Kills a running task, cancels one that waits; leaves the others as they are.
    private mutating func stopOne(_ name: String, reason: String, into actions: inout [RunAction]) {
        switch tasks[name]! {
        case .running: actions.append(.kill(task: name))
        case .waiting, .retrying: cancel(name, reason: reason, into: &actions)
        default: break
        }
    }

    private mutating func cancel(_ name: String, reason: String, into actions: inout [RunAction]) {
        set(name, .cancelled(reason: reason))
        actions.append(.recordTask(task: name, status: .cancelled, reason: reason, retryAt: nil))
    }

    /// Skips what can no longer run, launches what is ready, and ends the run when all is done.
    private mutating func settle(now: Date, into actions: inout [RunAction]) {
        closeFanOuts(into: &actions)
        if draining, stopReason == nil {
            if runningCount == 0, unfinishedCount > 0 {
                suspended = true
                actions.append(.suspended)
                return
            }
        }
        guard stopReason == nil, !draining else {
            finishIfDone(into: &actions)
            return
        }
        // Check candidates in topological order until none changes; a skip makes its
        // downstream candidates in the same pass. Under a `concurrency` limit the ready tasks
        // queue in `heldBack` and the first in topological order launch while slots are free.
        while !candidates.isEmpty {
            let batch = candidates.sorted { graph.topologicalIndex[$0]! < graph.topologicalIndex[$1]! }
            candidates.removeAll(keepingCapacity: true)
            for name in batch {
                guard case .waiting = tasks[name]! else { continue }
                switch readiness(of: name) {
                case .blocked:
                    continue
                case .skip(let reason):
                    set(name, .skipped(reason: reason))
                    actions.append(.recordTask(task: name, status: .skipped, reason: reason, retryAt: nil))
                case .ready where specs[name]?.foreach != nil:
                    // Reading its list runs no process, so the run's concurrency does not hold it back.
                    set(name, .fanning)
                    actions.append(.recordTask(task: name, status: .running, reason: nil, retryAt: nil))
                    actions.append(.fanOut(task: name))
                case .ready:
                    if concurrency != nil {
                        heldBack.push(graph.topologicalIndex[name]!)
                    } else {
                        launch(name, into: &actions)
                    }
                }
            }
        }
        if let limit = concurrency {
            while runningCount < limit, let index = heldBack.popMin() {
                let name = graph.topologicalOrder[index]
                // Cancelled (or launched) since it was held back.
                guard case .waiting = tasks[name]! else { continue }
                launch(name, into: &actions)
            }
        }
        // Instances after the tasks held back: both count against the run's concurrency.
        launchInstances(into: &actions)
        finishIfDone(into: &actions)
    }

    mutating func launch(_ name: String, into actions: inout [RunAction]) {
        let attempt = pendingAttempt.removeValue(forKey: name) ?? ((previousAttempts[name] ?? 0) + 1)
        set(name, .running(attempt: attempt))
        actions.append(.recordTask(task: name, status: .ready, reason: nil, retryAt: nil))
        actions.append(.launch(task: name, attempt: attempt))
    }

    private enum Readiness { case blocked, ready, skip(String) }

    /// Changes a task's state, keeping the counters and the candidates to re-check in step.
    mutating func set(_ name: String, _ state: TaskState) {
        let old = tasks[name]!
        tasks[name] = state
        if case .running = old { runningCount -= 1 }
        if case .running = state { runningCount += 1 }
        if let of = instanceOf[name] {
            setInstance(of, from: old, to: state)
            return
        }
        if !old.isFinished && state.isFinished {
            unfinishedCount -= 1
            for next in graph.downstream[name] ?? [] { candidates.insert(next) }
        }
        if state == .waiting { candidates.insert(name) }
    }

    private func readiness(of name: String) -> Readiness {
        if excluded.isEmpty == false, !excluded.contains(name) {
            return .ready  // `--task`: dependencies ignored
        }
        for edge in graph.upstream[name] ?? [] {
            let state = tasks[edge.from]!
            guard state.isFinished else { return .blocked }
            if edge.required, state != .succeeded {
                return .skip("upstream \(edge.from) \(state.status.rawValue)")
            }
        }
        return .ready
    }

    private mutating func finishIfDone(into actions: inout [RunAction]) {
        guard !status.isFinished, unfinishedCount == 0 else { return }
        if let stopStatus {
            status = stopStatus
            actions.append(.recordRun(status: stopStatus, reason: stopReason))
            return
        }
        let counted = graph.names.filter { !excluded.contains($0) }
        let bad = counted.filter { tasks[$0] != .succeeded }
        if bad.isEmpty {
            status = .succeeded
            actions.append(.recordRun(status: .succeeded, reason: nil))
        } else {
            status = .failed
            let detail = bad.map { "\($0) \(tasks[$0]!.status.rawValue)" }.joined(separator: ", ")
            actions.append(.recordRun(status: .failed, reason: detail))
        }
    }
}
