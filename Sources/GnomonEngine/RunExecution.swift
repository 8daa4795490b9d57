import Foundation
import GnomonCore
import GnomonExecution
import GnomonStore

/// Executes one run: feeds events to its `RunMachine`, records every change through its
/// `RunRecorder` (in order; an event's changes in one transaction, or merged with the ones
/// queued at the same time), and performs the machine's actions (launch, kill, retry timers).
///
/// An event's changes are queued before its actions are performed, and committed with the run's
/// next commit (within `rideAlongDelay`) or at the gate of the first launch that needs them: a
/// launched attempt prepares its process meanwhile and creates it only once they are committed.
/// All state lives in the `run()` loop's task; attempts and timers are child tasks that report
/// back through one stream, and every one of them has ended, and every change has
/// been committed, when `run()` returns.
final class RunExecution: Sendable {
    let engine: RunEngine
    let prepared: PreparedRun
    let observer: any RunObserver
    private let control: RunControl
    private let stream: AsyncStream<Message>
    let continuation: AsyncStream<Message>.Continuation
    /// The job's tasks by name: a launch looks its task up here rather than scanning the list.
    private let specs: [String: TaskSpec]
    let launches: LaunchBuilder
    let recorder: RunRecorder
    let emptyInputs = EmptyInputsFile()

    /// What child tasks tell the loop.
    enum Message: Sendable {
        case event(RunEvent)
        /// `outputs`: what a successful attempt wrote to `GNOMON_OUTPUT` (nil when it wrote none).
        case attemptEnded(task: String, attempt: Int, outcome: AttemptOutcome, recorded: Bool, spawned: Bool,
                          outputs: [String: String]? = nil)
        case storeFailed(String)
        /// A drain's grace period is over: kill what still runs.
        case drainGraceOver
        case drainGrace(Duration)
    }

    init(engine: RunEngine, run: PreparedRun, observer: any RunObserver, control: RunControl) {
        self.engine = engine
        self.prepared = run
        self.observer = observer
        self.control = control
        self.specs = Dictionary(run.job.tasks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.launches = LaunchBuilder(
            job: run.job, runID: run.id, scheduledAt: run.scheduledAt, params: run.params, settings: engine.settings)
        let (stream, continuation) = AsyncStream.makeStream(of: Message.self)
        (self.stream, self.continuation) = (stream, continuation)
        let runID = run.id
        self.recorder = RunRecorder(store: engine.store) { message in
            continuation.yield(.storeFailed("could not record run \(runID): \(message)"))
        }
    }

    /// How long a change may wait to share a transaction with the run's next commit (a launch that
    /// needs it sooner commits it at its gate; the end of a run is committed at once).
    ///
    /// 10 ms: a 1,000-task graph with 2 workers ends about two tasks a millisecond, and each
    /// transaction has a fixed cost (locks, WAL header, a thread woken) of a few hundred
    /// microseconds. Against 2 ms, Gnomon's CPU for such a run fell by 50-60 ms; 20 ms saved
    /// nothing more (Docs/performance.md, *SQLite transactions and the ride-along window*).
    static let rideAlongDelay = Duration.milliseconds(10)

    var runID: Int64 { prepared.id }
    var store: GnomonStore { engine.store }
    var clock: any EngineClock { engine.clock }

    func run() async -> RunStatus {
        var machine = prepared.machine
        var attempts: [String: Task<Void, Never>] = [:]
        var queued = LaunchQueue()
        var timers: [Task<Void, Never>] = []
        let continuation = self.continuation
        control.attach { request in
            switch request {
            case .cancel(let reason): continuation.yield(.event(.cancel(reason: reason)))
            case .drain(let grace): continuation.yield(.event(.drain)); continuation.yield(.drainGrace(grace))
            }
        }
        defer { control.detach() }

        observer.progress(.runStarted(run: runID, job: prepared.job.name, tasks: prepared.job.tasks.count))
        timers.append(startCancelPoll())
        if let timeout = prepared.job.timeout {
            let deadline = clock.now().addingTimeInterval(timeout.secondsDouble)
            timers.append(startTimer(at: deadline, message: .event(.deadlinePassed)))
        }

        // A run started as it was created has its first decisions recorded already.
        var actions = prepared.startActions ?? machine.start(now: clock.now())
        var recorded = prepared.startActions != nil
        for adoption in prepared.adoptions { attempts[adoption.task] = startAdoption(adoption) }
        var pendingChanges: [StoreChange] = []
        var pendingProgress: [RunProgress] = []
        // The outputs of each task that succeeded, by task: what references resolve to.
        var outputs: [String: [String: String]] = [:]
        if machine.tasks.values.contains(.succeeded) {
            // A continued run: its tasks that succeeded before published their outputs then.
            do {
                outputs = try store.publishedOutputs(run: runID)
            } catch {
                continuation.yield(.storeFailed("could not read the outputs of run \(runID): \(error)"))
            }
        }
        let referencedKeys = Self.referencedKeys(prepared.job)
        for task in graphNames(prepared) where machine.tasks[task] == .succeeded {
            // A foreach task that succeeded before: its instances' outputs, gathered again.
            if let items = machine.items(of: task) {
                outputs[task] = Self.gatheredOutputs(of: task, count: items.count, outputs: outputs, keys: referencedKeys[task] ?? [])
            }
        }
        var iterator = stream.makeAsyncIterator()
        while true {
            // The event's changes and the machine's decisions: queued now, committed together
            // after the launches below are under way (they wait for the commit at their gate).
            for action in actions {
                // A foreach task that succeeded publishes its instances' outputs, gathered.
                if case let .recordTask(task, .succeeded, _, _) = action, let items = machine.items(of: task) {
                    outputs[task] = Self.gatheredOutputs(of: task, count: items.count, outputs: outputs, keys: referencedKeys[task] ?? [])
                }
                guard let (change, progress) = change(for: action) else { continue }
                if !recorded { pendingChanges.append(change) }
                if let progress { pendingProgress.append(progress) }
            }
            recorded = false
            recorder.enqueue(pendingChanges)  // dropped once a write has failed
            pendingChanges = []
            for action in actions {
                // Nothing new starts unrecorded: with the store failing, a launch is answered at
                // once as cancelled (the run is being cancelled for the failure).
                if recorder.hasFailed, case let .launch(task, attempt) = action {
                    continuation.yield(.attemptEnded(task: task, attempt: attempt, outcome: .cancelled, recorded: false, spawned: false))
                    continue
                }
                perform(action, attempts: &attempts, queued: &queued, timers: &timers, outputs: outputs)
            }
            startQueued(&queued, machine: machine, attempts: &attempts, outputs: outputs)
            // While the launches prepare, and before the commit: an attempt prints its "started"
            // line only once its gate has opened, so after the event's lines (unless a commit
            // already under way on another thread takes this event's changes along).
            for progress in pendingProgress { observer.progress(progress) }
            pendingProgress = []
            // Now when the run ends; otherwise with the run's next commit and within
            // `rideAlongDelay`, so that the changes of several events share a transaction. A
            // launch whose gate is reached before that commits them itself, at its gate: the
            // commit is never later than the first spawn that needs it.
            if machine.status.isFinished || machine.suspended {
                recorder.commit()
            } else {
                recorder.commit(within: Self.rideAlongDelay)
            }
            if machine.status.isFinished || machine.suspended { break }

            guard let message = await iterator.next() else { break }
            let now = clock.now()
            switch message {
            case .event(let event):
                actions = machine.handle(event, now: now)
            case .drainGrace(let grace):
                timers.append(startTimer(at: now.addingTimeInterval(grace.secondsDouble), message: .drainGraceOver))
                actions = []
            case .drainGraceOver:
                for attempt in attempts.values { attempt.cancel() }
                while let (task, launch) = queued.next() {
                    continuation.yield(.attemptEnded(task: task, attempt: launch.attempt, outcome: .cancelled, recorded: false, spawned: false))
                }
                actions = []
            case let .attemptEnded(task, attempt, original, recorded, spawned, published):
                attempts[task] = nil
                // Killed because the runner shuts down: recorded as interrupted, retried on restart.
                // A run whose cancellation was asked for records its killed attempts cancelled, as the run ends.
                let outcome = machine.draining && machine.stopReason == nil && original == .cancelled
                    ? AttemptOutcome.interrupted : original
                if !recorded && spawned {
                    pendingChanges.append(.attemptStarted(
                        run: runID, task: task, number: attempt, at: now, pid: nil, pgid: nil,
                        containerName: nil, logPath: launches.logPath(task: task, attempt: attempt),
                        runnerInstance: engine.settings.runnerInstance))
                }
                if recorded || spawned {
                    pendingChanges.append(.attemptFinished(run: runID, task: task, number: attempt, outcome: outcome, at: now))
                    // In the batch of the attempt's end, so in its transaction.
                    if outcome.succeeded, let published, !published.isEmpty {
                        pendingChanges.append(.attemptOutputs(run: runID, task: task, number: attempt, outputs: published))
                    }
                }
                pendingProgress.append(.attemptFinished(task: task, attempt: attempt, outcome: outcome, at: now))
                actions = machine.handle(.attemptFinished(task: task, attempt: attempt, outcome: outcome), now: now)
                if outcome.succeeded, machine.tasks[task] == .succeeded { outputs[task] = published ?? [:] }
            case .storeFailed(let message):
                // Sent once, by the recorder's only failed write.
                observer.progress(.storeFailed(message: message))
                actions = machine.handle(.cancel(reason: message), now: now)
            }
        }
        for timer in timers { timer.cancel() }
        for attempt in attempts.values { attempt.cancel(); await attempt.value }
        for timer in timers { await timer.value }
        await recorder.idle()
        continuation.finish()
        observer.progress(.runFinished(run: runID, status: machine.status, reason: machine.stopReason, at: clock.now()))
        return machine.status
    }

    /// What an action records, and the progress line it prints.
    private func change(for action: RunAction) -> (StoreChange, RunProgress?)? {
        switch action {
        case let .recordTask(task, status, reason, retryAt):
            return (
                .taskStatus(run: runID, task: task, status: status, reason: reason, retryAt: retryAt, at: clock.now()),
                .taskChanged(task: task, status: status, reason: reason, retryAt: retryAt))
        case let .recordRun(status, reason):
            return (.runStatus(run: runID, status: status, reason: reason, at: clock.now()), nil)
        case let .recordInstances(task, items):
            return (.instancesCreated(run: runID, task: task, items: items, at: clock.now()), nil)
        case .launch, .kill, .wakeForRetry, .suspended, .fanOut:
            return nil
        }
    }

    /// Attempts of one run that exist as tasks at once (preparing, waiting for a worker slot,
    /// running): a few times the pool's width keeps every freed slot taken at once, and a run
    /// that makes 100,000 tasks ready holds the rest as names in its ``LaunchQueue``, not as
    /// 100,000 suspended tasks (about 10 KiB each).
    var attemptsInFlight: Int { max(64, 4 * (engine.pool.width + engine.staging.width)) }

    private func perform(
        _ action: RunAction, attempts: inout [String: Task<Void, Never>], queued: inout LaunchQueue,
        timers: inout [Task<Void, Never>], outputs: [String: [String: String]]
    ) {
        switch action {
        case let .launch(task, attempt):
            queued.append(task: task, LaunchQueue.Launch(attempt: attempt, committed: recorder.gate()))
        case .fanOut(let task):
            guard let spec = specs[task] else { return }
            switch Self.foreachItems(of: spec, outputs: outputs) {
            case .success(let items): continuation.yield(.event(.fannedOut(task: task, items: items)))
            case .failure(let refusal): continuation.yield(.event(.fanOutFailed(task: task, reason: refusal.reason)))
            }
        case .kill(let task):
            if let launch = queued.remove(task) {
                // Never started: nothing ran, as for an attempt cancelled while it waits for a slot.
                continuation.yield(.attemptEnded(task: task, attempt: launch.attempt, outcome: .cancelled, recorded: false, spawned: false))
            }
            attempts[task]?.cancel()
        case let .wakeForRetry(task, at):
            timers.append(startTimer(at: at, message: .event(.retryDue(task: task))))
        case .recordTask, .recordRun, .suspended, .recordInstances:
            break
        }
    }

    /// Starts queued launches, in the order the machine made them, while fewer than
    /// ``attemptsInFlight`` attempts exist.
    private func startQueued(
        _ queued: inout LaunchQueue, machine: RunMachine, attempts: inout [String: Task<Void, Never>],
        outputs: [String: [String: String]]
    ) {
        while attempts.count < attemptsInFlight, let (task, launch) = queued.next() {
            var item: (index: Int, text: String)?
            var spec: TaskSpec
            if let found = specs[task] {
                spec = found
            } else if let instance = machine.instance(task), let parent = specs[instance.of.task] {
                // An instance runs its foreach task's definition under its own name, with its item.
                spec = parent
                spec.name = task
                spec.foreach = nil
                item = (instance.of.index, instance.item)
            } else {
                continue
            }
            if recorder.hasFailed {
                continuation.yield(.attemptEnded(task: task, attempt: launch.attempt, outcome: .cancelled, recorded: false, spawned: false))
                continue
            }
            var upstream: [String: [String: String]] = [:]
            for name in spec.dependsOn { upstream[name] = outputs[name] }
            for name in spec.after { upstream[name] = outputs[name] }
            attempts[task] = startAttempt(spec, attempt: launch.attempt, upstream: upstream, committed: launch.committed, item: item)
        }
    }
}
